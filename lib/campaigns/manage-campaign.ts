import { randomUUID } from "node:crypto";

import { countAudience } from "@/lib/campaigns/resolve-recipients";
import { type CreateCampaignInput, type UpdateCampaignInput } from "@/lib/campaigns/schemas";
import { type Ctx, requireScope } from "@/lib/context";
import {
  createCampaignRecord,
  deleteDraftCampaign,
  getCampaignOrThrow,
  type StoredCampaign,
  updateCampaignRecord,
} from "@/lib/db/campaigns-repo";
import { ValidationError } from "@/lib/errors";
import { CampaignContent } from "@/lib/campaigns/schemas";

// No "server-only": bench:send creates campaigns under tsx.

/** Lower-case slug of a campaign name, the default utm_campaign. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100);
  return slug || "campaign";
}

/**
 * Creates a draft campaign. The audience is kept as given and checked now (a bad filter fails here, not at
 * send time); recipients are frozen only when it is sent.
 * @throws ValidationError for a bad filter; NotFoundError for an unknown segment; Unauthorized/ForbiddenError.
 */
export async function createCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: CreateCampaignInput & { id?: string };
}): Promise<StoredCampaign> {
  requireScope(ctx, "write");
  await countAudience(input.audience);
  return createCampaignRecord({
    id: input.id ?? `cmp_${randomUUID()}`,
    name: input.name,
    subject: input.subject,
    body: input.body,
    utm: {
      source: input.utm?.source ?? "rally",
      medium: input.utm?.medium ?? "email",
      campaign: input.utm?.campaign ?? slugify(input.name),
    },
    ...(input.eventId ? { eventId: input.eventId } : {}),
    audience: input.audience,
    createdAt: new Date().toISOString(),
  });
}

/**
 * Changes a draft. Subject and body are validated together against the stored other half.
 * @throws NotFoundError; ConflictError once the campaign was sent; ValidationError; Unauthorized/ForbiddenError.
 */
export async function updateCampaign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; changes: UpdateCampaignInput };
}): Promise<StoredCampaign> {
  requireScope(ctx, "write");
  const { changes } = input;
  const current = await getCampaignOrThrow(input.id);
  if (changes.subject !== undefined || changes.body !== undefined) {
    const content = CampaignContent.safeParse({
      subject: changes.subject ?? current.subject,
      body: changes.body ?? current.body,
    });
    if (!content.success) {
      throw new ValidationError(
        "Invalid campaign content.",
        content.error.issues.map((i) => ({ field: i.path.map(String).join("."), message: i.message })),
      );
    }
  }
  if (changes.audience) await countAudience(changes.audience);
  return updateCampaignRecord(input.id, {
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.subject !== undefined ? { subject: changes.subject } : {}),
    ...(changes.body !== undefined ? { body: changes.body } : {}),
    ...(changes.utm ? { utm: { ...current.utm, ...changes.utm } } : {}),
    ...(changes.eventId !== undefined ? { eventId: changes.eventId } : {}),
    ...(changes.audience ? { audience: changes.audience } : {}),
  });
}

/**
 * Deletes a draft.
 * @throws NotFoundError; ConflictError once the campaign was sent; Unauthorized/ForbiddenError.
 */
export async function deleteCampaign({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  requireScope(ctx, "write");
  await deleteDraftCampaign(input.id);
}
