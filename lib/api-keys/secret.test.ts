import { describe, expect, it } from "vitest";

import {
  displayPrefix,
  generateApiKeySecret,
  hashApiKeySecret,
  looksLikeApiKey,
} from "@/lib/api-keys/secret";

describe("API key secrets", () => {
  it("look like rk_live_ + 43 base64url characters and differ every time", () => {
    const a = generateApiKeySecret();
    const b = generateApiKeySecret();
    expect(a).toMatch(/^rk_live_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(looksLikeApiKey(a)).toBe(true);
    expect(looksLikeApiKey(`${a}x`)).toBe(false);
    expect(looksLikeApiKey("Bearer x")).toBe(false);
  });

  it("hash to a stable sha256 hex and show only a short prefix", () => {
    const secret = generateApiKeySecret(Buffer.alloc(32, 7));
    expect(hashApiKeySecret(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKeySecret(secret)).toBe(hashApiKeySecret(secret));
    expect(displayPrefix(secret)).toBe(secret.slice(0, 16));
    expect(displayPrefix(secret).startsWith("rk_live_")).toBe(true);
  });
});
