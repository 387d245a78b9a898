import { randomUUID } from "node:crypto";

import { type ApiKey, CreateApiKeyInput } from "@/lib/api-keys/schemas";
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from "@/lib/api-keys/secret";
import { type Ctx, requireScope } from "@/lib/context";
import { insertApiKey, listApiKeys, revokeApiKeyItem } from "@/lib/db/api-keys-repo";

// No "server-only": scripts/create-api-key.ts and the demo seeding run these under tsx.

/**
 * Creates an API key and returns its secret exactly once.
 * @throws ZodError on bad input; ForbiddenError/UnauthorizedError without write rights.
 */
export async function createApiKey({ ctx, input }: { ctx: Ctx; input: CreateApiKeyInput }): Promise<{
  key: ApiKey;
  secret: string;
}> {
  requireScope(ctx, "write");
  const parsed = CreateApiKeyInput.parse(input);
  const secret = generateApiKeySecret();
  const key: ApiKey = {
    id: randomUUID(),
    name: parsed.name,
    prefix: displayPrefix(secret),
    scopes: parsed.scopes,
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await insertApiKey(hashApiKeySecret(secret), key);
  return { key, secret };
}

/**
 * Revokes a key by id.
 * @throws NotFoundError for an unknown id; ForbiddenError/UnauthorizedError without write rights.
 */
export async function revokeApiKey({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  requireScope(ctx, "write");
  await revokeApiKeyItem(input.id, new Date().toISOString());
}

/** Lists key metadata (never secrets). @throws ForbiddenError/UnauthorizedError without read rights. */
export async function listKeys({ ctx }: { ctx: Ctx }): Promise<ApiKey[]> {
  requireScope(ctx, "read");
  return listApiKeys();
}
