import { describe, expect, it } from "vitest";

import { requestFingerprint, TOKEN_TTL_MS, TokenCache } from "@/dev/dynamodb/token-cache";

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

describe("requestFingerprint", () => {
  const fp = requestFingerprint;

  it("ignores key order and undefined members but not array order", () => {
    expect(fp({ b: 1, a: { d: [1, 2], c: "x" } })).toBe(fp({ a: { c: "x", d: [1, 2] }, b: 1 }));
    expect(fp({ a: 1, b: undefined })).toBe(fp({ a: 1 }));
    expect(fp([1, 2])).not.toBe(fp([2, 1]));
  });

  it("tells apart values that a naive concatenation would merge", () => {
    expect(fp({ a: "x", b: "yz" })).not.toBe(fp({ a: "xy", b: "z" }));
    expect(fp({ a: "1" })).not.toBe(fp({ a: 1 }));
    expect(fp([1, 2])).not.toBe(fp([12]));
    expect(fp(["a", "b"])).not.toBe(fp(["ab"]));
    expect(fp({ a: null })).not.toBe(fp({ a: "null" }));
    expect(fp({ ab: "c" })).not.toBe(fp({ a: "bc" }));
    expect(fp({ a: { b: "c" } })).not.toBe(fp({ a: [{ b: "c" }] }));
    expect(fp({ a: true })).not.toBe(fp({ a: "true;" }));
  });

  it("is a short digest even for a large request", () => {
    expect(fp({ blob: "A".repeat(100_000) }).length).toBeLessThan(64);
  });
});
