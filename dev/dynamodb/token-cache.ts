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

/** A key-order-independent JSON rendering, so equal requests fingerprint equally however they were built. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    const obj = value as Record<string, unknown>;
    return `{${keys
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
