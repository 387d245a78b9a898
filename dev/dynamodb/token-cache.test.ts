import { describe, expect, it } from "vitest";

import { canonicalJson, TOKEN_TTL_MS, TokenCache } from "@/dev/dynamodb/token-cache";

describe("TokenCache", () => {
  it("replays the answer for the same token and request, and flags a different request", () => {
    const cache = new TokenCache(() => 0);
    expect(cache.lookup("t1", "req-a")).toEqual({ kind: "miss" });
    cache.remember("t1", "req-a", { ok: 1 });
    expect(cache.lookup("t1", "req-a")).toEqual({ kind: "replay", response: { ok: 1 } });
    expect(cache.lookup("t1", "req-b")).toEqual({ kind: "mismatch" });
    expect(cache.lookup("t2", "req-a")).toEqual({ kind: "miss" });
  });

  it("forgets tokens after ten minutes", () => {
    let now = 1_000;
    const cache = new TokenCache(() => now);
    cache.remember("t1", "req", {});
    now += TOKEN_TTL_MS - 1;
    expect(cache.lookup("t1", "req").kind).toBe("replay");
    now += 1;
    expect(cache.lookup("t1", "req").kind).toBe("miss");
    expect(cache.size).toBe(0);
  });

  it("prunes in expiry order without dropping younger tokens", () => {
    let now = 0;
    const cache = new TokenCache(() => now, 100);
    cache.remember("old", "x", {});
    now = 50;
    cache.remember("young", "x", {});
    now = 120;
    expect(cache.size).toBe(1);
    expect(cache.lookup("young", "x").kind).toBe("replay");
  });
});

describe("canonicalJson", () => {
  it("ignores key order and undefined members but not array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: "x" } })).toBe(
      canonicalJson({ a: { c: "x", d: [1, 2] }, b: 1 }),
    );
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});
