import "server-only";

import { getAudienceIndex } from "@/lib/audience/get-audience-index";
import { compileAudienceFilter, countAudience, resolveRecipients } from "@/lib/campaigns/resolve-recipients";
import { type AudienceSpec, type UtmSettings } from "@/lib/campaigns/schemas";
import { compileTemplate, type EventVars, renderMessage, type RecipientVars } from "@/lib/campaigns/template";
import { type Ctx, requireScope } from "@/lib/context";
import { getEnv } from "@/lib/env";
import { getEvent } from "@/lib/events/get-event";
import { listSegments } from "@/lib/segments/segments";

/*
 * Reads for the campaign composer: a live count on the live audience index, a sample of recipients and a
 * per-recipient preview, resolved the way a send resolves them.
 */

const SAMPLE_SIZE = 10;
// The picker is a plain select: past this many segments it wants a search box, not more options.
const SEGMENT_PICKER_LIMIT = 100;

/** A saved segment as the composer's audience picker lists it. */
export interface ComposerSegment {
  id: string;
  name: string;
  count: number;
}

/**
 * Saved segments, newest first, each with its live member count.
 * @throws UnavailableError while the audience index starts; Unauthorized/ForbiddenError.
 */
export async function listComposerSegments({ ctx }: { ctx: Ctx }): Promise<ComposerSegment[]> {
  const page = await listSegments({ ctx, input: { limit: SEGMENT_PICKER_LIMIT } });
  return page.items.map((s) => ({ id: s.id, name: s.name, count: s.count ?? 0 }));
}

/**
 * How many users an audience matches now. Filters are counted on the live audience index (cheap per
 * keystroke); explicit id lists and segments go through the send path's resolver.
 * @throws ValidationError for a bad filter; NotFoundError for an unknown segment; UnavailableError;
 *   Unauthorized/ForbiddenError.
 */
export async function countComposerAudience({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: AudienceSpec;
}): Promise<number> {
  requireScope(ctx, "read");
  if (input.kind === "filter") return (await getAudienceIndex()).count(compileAudienceFilter(input));
  // A segment's saved filter is read and counted exactly as the send will freeze it.
  if (input.kind === "segment") return countAudience(input);
  return (await resolveRecipients(input)).length;
}

/**
 * The first few recipients of an audience, for the preview picker.
 * @throws as countComposerAudience.
 */
export async function sampleComposerAudience({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: AudienceSpec;
}): Promise<RecipientVars[]> {
  requireScope(ctx, "read");
  if (input.kind === "filter") {
    const page = await (
      await getAudienceIndex()
    ).query({
      filter: compileAudienceFilter(input),
      limit: SAMPLE_SIZE,
    });
    return page.items.map((u) => ({
      id: u.id,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      ...(u.company ? { company: u.company } : {}),
      ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}),
      ...(u.city ? { city: u.city } : {}),
      ...(u.state ? { state: u.state } : {}),
    }));
  }
  const users = await resolveRecipients(
    input.kind === "users" ? { kind: "users", userIds: input.userIds.slice(0, SAMPLE_SIZE) } : input,
  );
  return users.map(({ recipientId, ...rest }) => ({ id: recipientId, ...rest }));
}

export interface PreviewInput {
  subject: string;
  body: string;
  utm: UtmSettings;
  eventId?: string;
  recipient: RecipientVars;
}

/**
 * Renders one recipient's message exactly as the fan-out would (tracked links included, under a preview
 * campaign id that no route will count).
 * @throws ValidationError for an invalid template; NotFoundError for an unknown event; Unauthorized/ForbiddenError.
 */
export async function previewComposerMessage({ ctx, input }: { ctx: Ctx; input: PreviewInput }) {
  requireScope(ctx, "read");
  const env = getEnv();
  let event: EventVars | undefined;
  if (input.eventId) {
    const e = await getEvent({ ctx, input: { id: input.eventId } });
    event = {
      title: e.title,
      startAt: e.startAt,
      timezone: e.timeZone,
      url: `${env.APP_URL.replace(/\/+$/, "")}/e/${e.slug}`,
      ...(e.venue ? { venue: e.venue } : {}),
    };
  }
  const rendered = renderMessage(compileTemplate({ subject: input.subject, body: input.body }), {
    campaignId: "preview",
    utm: input.utm,
    recipient: input.recipient,
    ...(event ? { event } : {}),
    appUrl: env.APP_URL,
    secret: env.RALLY_SECRET,
  });
  return { subject: rendered.subject, html: rendered.html, text: rendered.text };
}
