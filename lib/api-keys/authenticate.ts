import "server-only";

import { hashApiKeySecret, looksLikeApiKey } from "@/lib/api-keys/secret";
import { type Actor } from "@/lib/context";
import { getApiKeyByHash, touchApiKey } from "@/lib/db/api-keys-repo";
import { UnauthorizedError } from "@/lib/errors";

/**
 * Resolves `Authorization: Bearer rk_live_…` to an actor. Nothing else (no forwarded or middleware
 * headers) is trusted.
 * @throws UnauthorizedError for a missing, malformed, unknown or revoked key.
 */
export async function authenticateApiKey(authorization: string | null): Promise<Actor> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const secret = match?.[1];
  if (!secret) throw new UnauthorizedError("Send an API key as 'Authorization: Bearer <key>'.");
  if (!looksLikeApiKey(secret)) throw new UnauthorizedError("The API key is invalid.");
  const hash = hashApiKeySecret(secret);
  const key = await getApiKeyByHash(hash);
  if (!key) throw new UnauthorizedError("The API key is invalid.");
  if (key.revokedAt) throw new UnauthorizedError("The API key has been revoked.");
  const now = new Date();
  // lastUsedAt is minute-grained: skip the write while it is fresh, so a request costs one read.
  if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) > 60_000) await touchApiKey(hash, now);
  return { kind: "api_key", keyId: key.id, scopes: key.scopes };
}
