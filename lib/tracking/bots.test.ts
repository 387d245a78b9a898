import { describe, expect, it } from "vitest";

import { classifyClick, classifyOpen } from "@/lib/tracking/bots";

const IPHONE_MAIL =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

describe("classifyOpen", () => {
  it("flags privacy and image proxies", () => {
    expect(
      classifyOpen({
        userAgent:
          "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
      }),
    ).toEqual({ bot: true, reasons: ["google-image-proxy"] });
    expect(
      classifyOpen({ userAgent: "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html" })
        .reasons,
    ).toContain("yahoo-mail-proxy");
    expect(classifyOpen({ userAgent: "Mozilla/5.0" }).reasons).toEqual(["apple-mail-privacy-protection"]);
    expect(classifyOpen({ userAgent: "" }).reasons).toEqual(["no-user-agent"]);
    expect(classifyOpen({ userAgent: "python-requests/2.31" }).bot).toBe(true);
  });

  it("keeps real mail clients as human", () => {
    expect(classifyOpen({ userAgent: IPHONE_MAIL })).toEqual({ bot: false, reasons: [] });
    expect(classifyOpen({ userAgent: CHROME }).bot).toBe(false);
  });
});

describe("classifyClick", () => {
  const delivered = new Date("2026-05-01T10:00:00Z");

  it("flags clicks within N seconds of delivery", () => {
    expect(
      classifyClick({ userAgent: CHROME, deliveredAt: delivered, clickedAt: "2026-05-01T10:00:04Z" }).reasons,
    ).toEqual(["too-fast"]);
    expect(
      classifyClick({ userAgent: CHROME, deliveredAt: delivered, clickedAt: "2026-05-01T10:00:11Z" }).bot,
    ).toBe(false);
    expect(
      classifyClick({
        userAgent: CHROME,
        deliveredAt: delivered,
        clickedAt: "2026-05-01T10:00:11Z",
        minHumanClickSeconds: 30,
      }).bot,
    ).toBe(true);
  });

  it("flags known link scanners whatever the timing", () => {
    for (const ua of [
      "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
      "Mimecast-Scanner/1.0",
      "BingPreview/1.0b",
    ]) {
      expect(
        classifyClick({ userAgent: ua, deliveredAt: delivered, clickedAt: "2026-05-02T00:00:00Z" }).bot,
      ).toBe(true);
    }
  });

  it("keeps a normal click human when delivery time is unknown", () => {
    expect(classifyClick({ userAgent: CHROME, clickedAt: new Date() })).toEqual({ bot: false, reasons: [] });
  });
});
