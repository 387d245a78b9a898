import { describe, expect, it } from "vitest";

import { breakdownCsv, csvCell, toCsv } from "@/lib/analytics/csv";
import { RollupTable, summarize } from "@/lib/analytics/rollup";

describe("csv", () => {
  it("quotes commas, quotes and line breaks", () => {
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(12.5)).toBe("12.5");
    expect(csvCell(null)).toBe("");
  });

  it("defuses spreadsheet formulas", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("@x,y")).toBe('"\'@x,y"');
  });

  it("writes CRLF rows with a header", () => {
    expect(toCsv(["a", "b"], [["x", 1]])).toBe("a,b\r\nx,1\r\n");
  });

  it("renders a breakdown with metric and rate columns", () => {
    const { summary, rates } = summarize(new RollupTable(), {});
    const csv = breakdownCsv("utm_source", [
      { key: "news, letter", summary: { ...summary, sent: 3 }, rates },
    ]);
    const [header, row] = csv.split("\r\n");
    expect(header!.startsWith("utm_source,sent,failed,pending,")).toBe(true);
    expect(header).toContain("deliveryRate");
    expect(row!.startsWith('"news, letter",3,0,0,')).toBe(true);
  });
});
