import { z } from "zod";

import { Id, text } from "@/lib/schemas/common";

export const ApiKeyScope = z.enum(["read", "write"]);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

/** Input for creating an API key (CLI today, dashboard later). */
export const CreateApiKeyInput = z
  .object({
    name: text(100),
    scopes: z
      .array(ApiKeyScope)
      .min(1, "Give at least one scope.")
      .refine((s) => new Set(s).size === s.length, "Must not repeat a scope."),
  })
  .strict();
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

/** An API key's public metadata; the secret is shown once at creation and never stored. */
export const ApiKey = z.object({
  id: Id,
  name: z.string(),
  prefix: z
    .string()
    .describe("`rk_live_` plus the first 8 random characters, for recognising a key in lists"),
  scopes: z.array(ApiKeyScope),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;
