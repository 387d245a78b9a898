import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { messageTokenSigner, signToken, verifyToken, type ClickClaims } from "@/lib/tracking/tokens";

const SECRET = "test-secret-test-secret-test-secret-0123";
const id = fc.string({ minLength: 1, maxLength: 40 });
const httpUrl = fc.webUrl({ withQueryParameters: true, withFragments: true });
const click: fc.Arbitrary<ClickClaims> = fc.record({
  kind: fc.constant("click" as const),
  campaignId: id,
  recipientId: id,
  linkIndex: fc.integer({ min: 1, max: 500 }),
  url: httpUrl,
  utm: fc.record({ source: id, medium: id, campaign: id, content: id }),
});

describe("tracking tokens", () => {
  it("round-trips every kind of claims", () => {
    fc.assert(
      fc.property(click, (claims) => {
        expect(verifyToken(signToken(claims, SECRET), "click", SECRET)).toEqual(claims);
      }),
    );
    fc.assert(
      fc.property(id, id, (campaignId, recipientId) => {
        const open = { kind: "open" as const, campaignId, recipientId };
        const unsub = { kind: "unsubscribe" as const, campaignId, recipientId };
        expect(verifyToken(signToken(open, SECRET), "open", SECRET)).toEqual(open);
        expect(verifyToken(signToken(unsub, SECRET), "unsubscribe", SECRET)).toEqual(unsub);
      }),
    );
  });

  it("signs a campaign's messages exactly as signToken does, link by link", () => {
    const link = fc.record({
      linkIndex: fc.integer({ min: 1, max: 50 }),
      url: httpUrl,
      utm: fc.record(
        { source: id, medium: id, campaign: id, content: fc.option(id, { nil: undefined }) },
        { requiredKeys: ["source", "medium", "campaign"] },
      ),
    });
    fc.assert(
      fc.property(id, id, fc.array(link, { maxLength: 4 }), (campaignId, recipientId, links) => {
        const tokens = messageTokenSigner(SECRET, campaignId, links)(recipientId);
        const ids = { campaignId, recipientId };
        expect(tokens.unsubscribe).toBe(signToken({ kind: "unsubscribe", ...ids }, SECRET));
        expect(tokens.open).toBe(signToken({ kind: "open", ...ids }, SECRET));
        expect(tokens.clicks).toEqual(links.map((l) => signToken({ kind: "click", ...ids, ...l }, SECRET)));
      }),
    );
    expect(() =>
      messageTokenSigner(SECRET, "c", [
        { linkIndex: 1, url: "javascript:x", utm: { source: "s", medium: "m", campaign: "c" } },
      ]),
    ).toThrow(TypeError);
  });

  it("leaves a link's default utm_content (link-N) out of the token and restores it", () => {
    const base = {
      kind: "click" as const,
      campaignId: "c1",
      recipientId: "u1",
      linkIndex: 2,
      url: "https://events.test/a?x=1",
    };
    const usual = {
      ...base,
      utm: { source: "rally", medium: "email", campaign: "launch", content: "link-2" },
    };
    const custom = { ...base, utm: { ...usual.utm, content: "hero-button" } };
    const short = signToken(usual, SECRET);
    expect(verifyToken(short, "click", SECRET)).toEqual(usual);
    expect(verifyToken(signToken(custom, SECRET), "click", SECRET)).toEqual(custom);
    expect(short.length).toBeLessThan(signToken(custom, SECRET).length);
  });

  it("rejects any single-character change", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    fc.assert(
      fc.property(click, fc.nat(), fc.nat({ max: alphabet.length - 1 }), (claims, pos, ch) => {
        const token = signToken(claims, SECRET);
        const i = pos % token.length;
        const replacement = alphabet[ch]!;
        fc.pre(token[i] !== replacement);
        const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
        expect(verifyToken(tampered, "click", SECRET)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("rejects appended characters, another secret, another kind and garbage", () => {
    const claims = { kind: "open" as const, campaignId: "c1", recipientId: "u1" };
    const token = signToken(claims, SECRET);
    expect(verifyToken(token + "A", "open", SECRET)).toBeNull();
    expect(verifyToken(token, "open", SECRET + "x")).toBeNull();
    expect(verifyToken(token, "unsubscribe", SECRET)).toBeNull();
    expect(verifyToken(token, "click", SECRET)).toBeNull();
    for (const junk of ["", ".", "a.b", "a.b.c", "%%%.%%%", token.split(".")[0]!]) {
      expect(verifyToken(junk, "open", SECRET)).toBeNull();
    }
  });

  it("refuses to sign non-http links", () => {
    const bad = ["javascript:alert(1)", "data:text/html,hi", "/relative", "mailto:a@b.c"];
    for (const url of bad) {
      expect(() =>
        signToken(
          {
            kind: "click",
            campaignId: "c",
            recipientId: "r",
            linkIndex: 1,
            url,
            utm: { source: "s", medium: "m", campaign: "c" },
          },
          SECRET,
        ),
      ).toThrow(TypeError);
    }
  });
});
