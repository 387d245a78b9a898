import { createHash } from "node:crypto";

/** DynamoDB remembers a transaction's ClientRequestToken for ten minutes. */
export const TOKEN_TTL_MS = 10 * 60 * 1000;

interface Entry {
  fingerprint: string;
  response: unknown;
  expiresAt: number;
}

export type TokenLookup = { kind: "miss" } | { kind: "replay"; response: unknown } | { kind: "mismatch" };

/**
 * Remembers successful TransactWriteItems by ClientRequestToken so an SDK retry of a transaction that already
 * committed answers the same result instead of applying it twice.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = TOKEN_TTL_MS,
  ) {}

  lookup(token: string, fingerprint: string): TokenLookup {
    this.prune();
    const entry = this.entries.get(token);
    if (!entry) return { kind: "miss" };
    return entry.fingerprint === fingerprint
      ? { kind: "replay", response: entry.response }
      : { kind: "mismatch" };
  }

  remember(token: string, fingerprint: string, response: unknown): void {
    this.entries.set(token, { fingerprint, response, expiresAt: this.now() + this.ttlMs });
  }

  get size(): number {
    this.prune();
    return this.entries.size;
  }

  private prune(): void {
    const now = this.now();
    // Map iteration follows insertion order, which is expiry order because the TTL is fixed.
    for (const [token, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(token);
    }
  }
}

/**
 * A digest of a request that ignores key order and undefined members, so equal requests fingerprint equally
 * however they were built. A digest instead of the request text keeps ten minutes of tokens small.
 */
export function requestFingerprint(value: unknown): string {
  return createHash("sha256").update(canonical(value)).digest("base64");
}

/**
 * An unambiguous rendering: strings and keys carry their length, so no escaping is needed and no two different
 * values share a rendering. Far cheaper than JSON.stringify on the multi-kilobyte strings of binary attributes.
 */
function canonical(value: unknown): string {
  if (typeof value === "string") return `${value.length}"${value}`;
  if (Array.isArray(value)) {
    let out = "[";
    for (const v of value) out += canonical(v);
    return `${out}]`;
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    let out = "{";
    for (const k of Object.keys(obj).sort()) {
      if (obj[k] !== undefined) out += `${k.length}"${k}${canonical(obj[k])}`;
    }
    return `${out}}`;
  }
  // Numbers, booleans and null; the trailing ";" ends a number so [1, 2] differs from [12].
  return `${String(value)};`;
}
