import "server-only";

import { createApiKey, listKeys, revokeApiKey } from "@/lib/api-keys/create-api-key";
import { type ApiKey, type CreateApiKeyInput } from "@/lib/api-keys/schemas";
import { type Ctx, requireRole } from "@/lib/context";

// The API-key verbs check scopes (an organizer has "write"); managing keys is for admins only.

/**
 * Creates an API key; the secret is returned once. @throws ZodError; Unauthorized/ForbiddenError unless admin.
 */
export async function adminCreateApiKey({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: CreateApiKeyInput;
}): Promise<{ key: ApiKey; secret: string }> {
  requireRole(ctx, "admin");
  return createApiKey({ ctx, input });
}

/** Key metadata, newest first. @throws Unauthorized/ForbiddenError unless admin. */
export async function adminListApiKeys({ ctx }: { ctx: Ctx }): Promise<ApiKey[]> {
  requireRole(ctx, "admin");
  return (await listKeys({ ctx })).reverse();
}

/** @throws NotFoundError; Unauthorized/ForbiddenError unless admin. */
export async function adminRevokeApiKey({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  requireRole(ctx, "admin");
  await revokeApiKey({ ctx, input });
}
