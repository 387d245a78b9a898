import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "rk_live_";
const KEY_PATTERN = /^rk_live_[A-Za-z0-9_-]{43}$/;

/** A new key: `rk_live_` + base64url of 32 random bytes. */
export function generateApiKeySecret(bytes: Buffer = randomBytes(32)): string {
  return `${API_KEY_PREFIX}${bytes.toString("base64url")}`;
}

/** Only this hash is stored; a leaked table does not leak usable keys. */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Cheap shape check before any database read. */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** What lists show to recognise a key: `rk_live_` plus the first 8 random characters (48 of 256 bits). */
export function displayPrefix(secret: string): string {
  return secret.slice(0, API_KEY_PREFIX.length + 8);
}
