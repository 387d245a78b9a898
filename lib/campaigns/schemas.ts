import { z } from "zod";

import { validateTemplate } from "@/lib/campaigns/template";

/*
 * Pure zod schemas for campaigns, shared by the HTTP API, forms and the delivery engine.
 * Safe to import from client components (no server code).
 */

/** Subject + body as the organizer writes them; unknown variables are rejected here, at save time. */
export const CampaignContent = z
  .object({
    subject: z.string().trim().min(1).max(200),
    body: z.string().min(1).max(50_000),
  })
  .superRefine((value, ctx) => {
    for (const issue of validateTemplate(value)) {
      ctx.addIssue({ code: "custom", path: [issue.field], message: issue.message });
    }
  });
export type CampaignContent = z.infer<typeof CampaignContent>;

export const UtmSettings = z.object({
  source: z.string().trim().min(1).max(100).default("rally"),
  medium: z.string().trim().min(1).max(100).default("email"),
  /** Defaults to a slug of the campaign name when created through the API. */
  campaign: z.string().trim().min(1).max(100),
});
export type UtmSettings = z.infer<typeof UtmSettings>;

/** Lifecycle of a campaign. `paused` is set by hand or by the failure-rate breaker; resuming re-sends the event. */
export const CampaignStatus = z.enum(["draft", "sending", "paused", "completed", "cancelled"]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/**
 * Per-recipient delivery state. pending → sending (claimed, leased) → sent | failed; pending → suppressed |
 * skipped; sending whose lease expired → unknown (never re-sent automatically).
 */
export const RecipientStatus = z.enum([
  "pending",
  "sending",
  "sent",
  "failed",
  "suppressed",
  "skipped",
  "unknown",
]);
export type RecipientStatus = z.infer<typeof RecipientStatus>;

export const TERMINAL_STATUSES = ["sent", "failed", "suppressed", "skipped", "unknown"] as const;

/** Status-change events recorded per message for analytics. `queued` = claimed for a send attempt. */
export const MessageEventType = z.enum([
  "queued",
  "sent",
  "failed",
  "throttled",
  /** A transient failure that will be retried; `failed` is only ever final. */
  "retrying",
  "suppressed",
  "skipped",
  "unknown",
  "campaign_paused",
  "campaign_completed",
]);
export type MessageEventType = z.infer<typeof MessageEventType>;

/** Payload of the `campaign/send.requested` event (outbox relay → Inngest or the local runner). */
export const SendRequestedData = z.object({
  campaignId: z.string().min(1),
  /** Idempotency key: one outbox row → one fan-out run. Continuations append `/part-N`. */
  outboxId: z.string().min(1),
});
export type SendRequestedData = z.infer<typeof SendRequestedData>;

// ---- HTTP API inputs (POST /api/emails/send, /api/campaigns) ---------------------------------------------

const CampaignId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "Must be 1–64 letters, digits, '-' or '_'.")
  .describe("Campaign id");

/** Path parameter of /api/campaigns/{id}/… */
export const CampaignIdParams = z.object({ id: CampaignId }).strict();
export type CampaignIdParams = z.infer<typeof CampaignIdParams>;

const TREE_KEYS = ["all", "any", "not", "field"];
// Paging and sorting belong to the audience list, not to a send.
const NOT_FILTER_PARAMS = new Set(["limit", "size", "page", "cursor", "sort", "sort_by", "sort_order"]);
const FlatValue = z.union([z.string(), z.number(), z.boolean()]);
const FlatParamValue = z.union([FlatValue, z.array(FlatValue)]);

/**
 * Who receives a campaign, as given: a filter tree, the audience list's flat filter parameters (camelCase or
 * the original service's snake_case), an explicit list of user ids, or a saved segment.
 */
export type AudienceSpec =
  | { kind: "filter"; filter?: unknown; flat?: Record<string, string | string[]> }
  | { kind: "users"; userIds: string[] }
  | { kind: "segment"; segmentId: string };

export const UserIds = z
  .array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Must be a user id."))
  .min(1)
  .max(50_000);

/** Whether a `filter` object is a tree (`{all:[…]}`, `{field,in}`, …) rather than flat parameters. */
export function isFilterTree(value: unknown): boolean {
  return typeof value === "object" && value !== null && TREE_KEYS.some((k) => k in value);
}

/** Flat filter values as strings (numbers and booleans from JSON bodies are stringified). */
export function flatParams(
  raw: Record<string, unknown>,
  ctx: z.RefinementCtx,
  pathPrefix: (string | number)[],
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (NOT_FILTER_PARAMS.has(key)) {
      ctx.addIssue({ code: "custom", path: [...pathPrefix, key], message: "Not a filter field." });
      continue;
    }
    const parsed = FlatParamValue.safeParse(value);
    if (!parsed.success) {
      ctx.addIssue({
        code: "custom",
        path: [...pathPrefix, key],
        message: "Must be a string, number or list.",
      });
      continue;
    }
    out[key] = Array.isArray(parsed.data) ? parsed.data.map(String) : String(parsed.data);
  }
  return out;
}

/** `filter` as sent: a tree or flat parameters; validated against the audience schema when resolved. */
const FilterInput = z
  .record(z.string(), z.unknown())
  .describe(
    "A filter tree ({all:[…]}, {any:[…]}, {not:…}, {field,in}, …) or the audience list's flat filter fields (company, job_title, events_hosted_min, …)",
  );

export const AudienceInput = z
  .object({
    filter: FilterInput.optional(),
    userIds: UserIds.optional(),
    segmentId: CampaignId.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const given = [v.filter, v.userIds, v.segmentId].filter((x) => x !== undefined).length;
    if (given !== 1)
      ctx.addIssue({ code: "custom", message: "Give exactly one of filter, userIds or segmentId." });
  })
  .transform((v, ctx): AudienceSpec => {
    if (v.userIds) return { kind: "users", userIds: [...new Set(v.userIds)] };
    if (v.segmentId) return { kind: "segment", segmentId: v.segmentId };
    return isFilterTree(v.filter)
      ? { kind: "filter", filter: v.filter }
      : { kind: "filter", flat: flatParams(v.filter ?? {}, ctx, ["filter"]) };
  });
export type AudienceInput = z.input<typeof AudienceInput>;

const UtmValue = z.string().trim().min(1).max(100);

/** Body of POST /api/campaigns. */
export const CreateCampaignInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    subject: z.string(),
    body: z.string(),
    utm: z
      .object({ source: UtmValue.optional(), medium: UtmValue.optional(), campaign: UtmValue.optional() })
      .strict()
      .optional(),
    eventId: CampaignId.optional().describe("The Rally event the campaign promotes"),
    audience: AudienceInput,
  })
  .strict()
  .superRefine((v, ctx) => checkContent(v, ctx));
export type CreateCampaignInput = z.output<typeof CreateCampaignInput>;

/** Body of PATCH /api/campaigns/{id}: any subset; only drafts can be changed. */
export const UpdateCampaignInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    subject: z.string().optional(),
    body: z.string().optional(),
    utm: z
      .object({ source: UtmValue.optional(), medium: UtmValue.optional(), campaign: UtmValue.optional() })
      .strict()
      .optional(),
    eventId: CampaignId.nullable().optional(),
    audience: AudienceInput.optional(),
  })
  .strict();
export type UpdateCampaignInput = z.output<typeof UpdateCampaignInput>;

function checkContent(v: { subject?: string; body?: string }, ctx: z.RefinementCtx) {
  if (v.subject === undefined || v.body === undefined) return;
  const parsed = CampaignContent.safeParse({ subject: v.subject, body: v.body });
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
}

/** Body of POST /api/campaigns/{id}/send (optional; empty body = now). */
export const SendCampaignInput = z
  .object({
    scheduledAt: z.iso
      .datetime({ offset: true, error: "Must be an ISO 8601 date-time with Z or an offset." })
      .optional()
      .describe("Send later; the audience is still frozen now"),
  })
  .strict();
export type SendCampaignInput = z.infer<typeof SendCampaignInput>;

/** Body of POST /api/campaigns/{id}/test. */
export const TestSendInput = z
  .object({ emails: z.array(z.email()).min(1).max(10).describe("Addresses that get a test copy") })
  .strict();
export type TestSendInput = z.infer<typeof TestSendInput>;

/** Query of GET /api/campaigns/{id}/recipients. */
export const RecipientsQuery = z
  .object({
    status: RecipientStatus.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,512}$/)
      .optional(),
  })
  .strict();
export type RecipientsQuery = z.infer<typeof RecipientsQuery>;

const LEGACY_KEYS = new Set([
  "subject",
  "body",
  "name",
  "filter",
  "userIds",
  "user_ids",
  "segmentId",
  "segment_id",
  "eventId",
  "event_id",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utmSource",
  "utmMedium",
  "utmCampaign",
]);

/**
 * Body of POST /api/emails/send in the original service's shape: subject, body, utm_* (or utmSource…), and
 * the audience as `filter` (flat fields or a tree), `userIds`, `segmentId`, or flat filter fields at the top
 * level. Any other top-level key is taken as a flat filter field and rejected later if it is not one.
 */
export const SendEmailsInput = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const pick = (...keys: string[]) => keys.map((k) => raw[k]).find((v) => v !== undefined);
  const fields = z
    .object({
      subject: z.string({ error: "Required." }),
      body: z.string({ error: "Required." }),
      name: z.string().trim().min(1).max(200).optional(),
      eventId: CampaignId.optional(),
      utmSource: UtmValue.optional(),
      utmMedium: UtmValue.optional(),
      utmCampaign: UtmValue.optional(),
    })
    .safeParse({
      subject: raw.subject,
      body: raw.body,
      name: raw.name,
      eventId: pick("eventId", "event_id"),
      utmSource: pick("utm_source", "utmSource"),
      utmMedium: pick("utm_medium", "utmMedium"),
      utmCampaign: pick("utm_campaign", "utmCampaign"),
    });
  const rename: Record<string, string> = {
    utmSource: "utm_source",
    utmMedium: "utm_medium",
    utmCampaign: "utm_campaign",
  };
  if (!fields.success) {
    for (const issue of fields.error.issues) {
      const key = String(issue.path[0] ?? "");
      ctx.addIssue({ code: "custom", path: [rename[key] ?? key], message: issue.message });
    }
  } else {
    const content = CampaignContent.safeParse({ subject: fields.data.subject, body: fields.data.body });
    if (!content.success) {
      for (const issue of content.error.issues)
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
    }
  }
  const topLevel: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!LEGACY_KEYS.has(k)) topLevel[k] = v;
  const explicit = {
    filter: raw.filter,
    userIds: pick("userIds", "user_ids"),
    segmentId: pick("segmentId", "segment_id"),
  };
  const hasExplicit = Object.values(explicit).some((v) => v !== undefined);
  let audience: AudienceSpec | undefined;
  if (hasExplicit && Object.keys(topLevel).length > 0) {
    for (const k of Object.keys(topLevel))
      ctx.addIssue({ code: "custom", path: [k], message: "Unknown field (put filter fields under filter)." });
  } else if (hasExplicit) {
    const parsed = AudienceInput.safeParse(
      Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined)),
    );
    if (parsed.success) audience = parsed.data;
    else
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  } else {
    // No audience given at all = the original service's "everyone" (an empty flat filter).
    audience = { kind: "filter", flat: flatParams(topLevel, ctx, []) };
  }
  if (!fields.success || !audience) return z.NEVER;
  return {
    subject: fields.data.subject,
    body: fields.data.body,
    name: fields.data.name,
    eventId: fields.data.eventId,
    utm: { source: fields.data.utmSource, medium: fields.data.utmMedium, campaign: fields.data.utmCampaign },
    audience,
  };
});
export type SendEmailsInput = z.output<typeof SendEmailsInput>;
