import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { appendUtm, clickUrl, resolveClick, resolveOpen, resolveUnsubscribe } from "@/lib/campaigns/links";
import { signToken } from "@/lib/tracking/tokens";

const SECRET = "links-secret-links-secret-links-secret-01";
const APP = "https://rally.example/";
const utm = { source: "rally", medium: "email", campaign: "spring-launch", content: "link-2" };

describe("appendUtm", () => {
  it("adds the four UTM parameters and keeps query and fragment", () => {
    const out = new URL(appendUtm("https://x.test/p?a=1&b=two#frag", utm));
    expect(out.hash).toBe("#frag");
    expect([...out.searchParams.keys()]).toEqual([
      "a",
      "b",
      "utm_source",
      "utm_medium",
      "utm_campaign",
      "utm_content",
    ]);
    expect(out.searchParams.get("utm_content")).toBe("link-2");
  });

  it("keeps utm values the author already set", () => {
    const out = new URL(appendUtm("https://x.test/?utm_source=newsletter", utm));
    expect(out.searchParams.getAll("utm_source")).toEqual(["newsletter"]);
    expect(out.searchParams.get("utm_medium")).toBe("email");
  });

  it("preserves every existing parameter and the fragment (property)", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (raw) => {
        const before = new URL(raw);
        const after = new URL(appendUtm(raw, utm));
        expect(after.origin).toBe(before.origin);
        expect(after.pathname).toBe(before.pathname);
        expect(after.hash).toBe(before.hash);
        for (const [k, v] of before.searchParams) expect(after.searchParams.getAll(k)).toContain(v);
        for (const k of ["utm_source", "utm_medium", "utm_campaign", "utm_content"]) {
          expect(after.searchParams.has(k)).toBe(true);
        }
      }),
    );
  });
});

describe("tracked links", () => {
  it("resolves a click to the original URL with UTM", () => {
    const url = clickUrl(
      { campaignId: "c1", recipientId: "u1", linkIndex: 2, url: "https://x.test/a?q=1#h", utm },
      APP,
      SECRET,
    );
    expect(url.startsWith("https://rally.example/r/")).toBe(true);
    const token = url.slice("https://rally.example/r/".length);
    const resolved = resolveClick(token, SECRET);
    expect(resolved?.location).toBe(
      "https://x.test/a?q=1&utm_source=rally&utm_medium=email&utm_campaign=spring-launch&utm_content=link-2#h",
    );
    expect(resolved?.claims.recipientId).toBe("u1");
  });

  it("carries the click token to our own public event pages only, for registration attribution", () => {
    const tokenFor = (target: string) =>
      clickUrl({ campaignId: "c1", recipientId: "u1", linkIndex: 1, url: target, utm }, APP, SECRET).slice(
        "https://rally.example/r/".length,
      );
    const own = tokenFor("https://rally.example/e/spring-meetup");
    const ownLocation = new URL(resolveClick(own, SECRET, APP)?.location ?? "");
    expect(ownLocation.searchParams.get("rt")).toBe(own);
    expect(ownLocation.searchParams.get("utm_campaign")).toBe("spring-launch");

    const foreign = resolveClick(tokenFor("https://x.test/e/spring-meetup"), SECRET, APP);
    expect(new URL(foreign?.location ?? "").searchParams.has("rt")).toBe(false);
  });

  it("answers null for tampered, foreign or cross-kind tokens", () => {
    const open = signToken({ kind: "open", campaignId: "c", recipientId: "r" }, SECRET);
    expect(resolveClick(open, SECRET)).toBeNull();
    expect(resolveUnsubscribe(open, SECRET)).toBeNull();
    expect(resolveOpen(open, SECRET)).toEqual({ kind: "open", campaignId: "c", recipientId: "r" });
    expect(
      resolveOpen(
        open.replace(/.$/, (c) => (c === "A" ? "B" : "A")),
        SECRET,
      ),
    ).toBeNull();
    expect(resolveClick("https://evil.test", SECRET)).toBeNull();
  });
});
