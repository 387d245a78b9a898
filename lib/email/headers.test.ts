import { describe, expect, it } from "vitest";

import { unsubscribeHeaders } from "@/lib/email/headers";

describe("unsubscribeHeaders", () => {
  it("gives RFC 8058 headers for an absolute http(s) URL, unchanged", () => {
    expect(unsubscribeHeaders("https://rally.test/u/abc.DEF-_")).toEqual([
      { name: "List-Unsubscribe", value: "<https://rally.test/u/abc.DEF-_>" },
      { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
    ]);
    expect(unsubscribeHeaders("http://127.0.0.1:3000/u/x")[0]!.value).toBe("<http://127.0.0.1:3000/u/x>");
  });

  it.each([
    "javascript:alert(1)",
    "mailto:unsubscribe@rally.test",
    "/u/relative",
    "https:///u/no-host",
    "https://rally.test/u/x\r\nBcc: victim@example.com",
    "https://rally.test/u/x> <https://evil.test",
    "https://rally.test/u/with space",
  ])("refuses %j", (url) => {
    expect(() => unsubscribeHeaders(url)).toThrow(TypeError);
  });
});
