import { z } from "zod";

import { Id, text } from "@/lib/schemas/common";
import { withSnakeAliases } from "@/lib/schemas/snake-aliases";

/** Co-hosts per event; keeps create/delete transactions well under DynamoDB's 100-item limit. */
export const MAX_CO_HOSTS = 20;
export const MAX_CAPACITY = 1_000_000;

function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const DateTime = z.iso
  .datetime({ offset: true, error: "Must be an ISO 8601 date-time with Z or an offset." })
  .describe("ISO 8601 with offset; stored normalised to UTC");
const TimeZone = z
  .string()
  .trim()
  .max(64)
  .refine(isIanaTimeZone, "Must be an IANA time zone such as Europe/Berlin.")
  .describe("IANA time zone, default UTC");
const Slug = z
  .string()
  .trim()
  .max(100, "Must be at most 100 characters.")
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Must be lowercase letters and digits separated by single hyphens.");
const MaxCapacity = z
  .number()
  .int("Must be an integer.")
  .positive("Must be positive.")
  .max(MAX_CAPACITY, `Must be at most ${MAX_CAPACITY}.`)
  .describe("null or absent = unlimited");
const HostIds = z
  .array(Id)
  .max(MAX_CO_HOSTS, `At most ${MAX_CO_HOSTS} co-hosts.`)
  .refine((ids) => new Set(ids).size === ids.length, "Must not repeat a user.")
  .describe("Co-host user ids (the owner need not be repeated)");

const endAfterStart = (v: { startAt?: string; endAt?: string }) =>
  v.startAt === undefined || v.endAt === undefined || Date.parse(v.endAt) > Date.parse(v.startAt);
const endAfterStartIssue = { message: "endAt must be after startAt.", path: ["endAt"] };

/** Body of POST /api/events. snake_case spellings (start_at, owner_id, …) are accepted. */
export const CreateEventInput = withSnakeAliases(
  z.object({
    title: text(200),
    slug: Slug.optional().describe("Generated from the title when absent; unique"),
    description: z.string().trim().max(10_000, "Must be at most 10000 characters.").optional(),
    startAt: DateTime,
    endAt: DateTime,
    timeZone: TimeZone.optional(),
    venue: text(200).optional(),
    maxCapacity: MaxCapacity.nullable().optional(),
    ownerId: Id,
    hostIds: HostIds.optional(),
  }),
).refine(endAfterStart, endAfterStartIssue);
export type CreateEventInput = z.infer<typeof CreateEventInput>;

/** Body of PATCH /api/events/{id}: any subset; `hostIds` replaces the co-host list. */
export const UpdateEventInput = withSnakeAliases(
  z.object({
    title: text(200).optional(),
    slug: Slug.optional(),
    description: z.string().trim().max(10_000, "Must be at most 10000 characters.").nullable().optional(),
    startAt: DateTime.optional(),
    endAt: DateTime.optional(),
    timeZone: TimeZone.optional(),
    venue: text(200).nullable().optional(),
    maxCapacity: MaxCapacity.nullable().optional(),
    hostIds: HostIds.optional(),
  }),
)
  .refine((v) => Object.keys(v).length > 0, { message: "Give at least one field to change." })
  .refine(endAfterStart, endAfterStartIssue);
export type UpdateEventInput = z.infer<typeof UpdateEventInput>;

const UtmValue = text(200).optional();

/** UTM parameters captured with a registration (analytics attribution). */
export const Utm = z
  .object({ source: UtmValue, medium: UtmValue, campaign: UtmValue, content: UtmValue })
  .strict()
  .describe("utm_* values from the landing URL");
export type Utm = z.infer<typeof Utm>;

/** Body of POST /api/events/{id}/register. */
export const RegisterInput = withSnakeAliases(
  z.object({
    userId: Id,
    utm: Utm.optional(),
    campaignToken: z
      .string()
      .max(2048)
      .regex(/^[A-Za-z0-9._~-]+$/, "Must be a token from a campaign link.")
      .optional()
      .describe("Signed token from a campaign link; stored for attribution"),
  }),
);
export type RegisterInput = z.infer<typeof RegisterInput>;

export const RegistrationSource = z.enum(["api", "public", "dashboard"]);
export type RegistrationSource = z.infer<typeof RegistrationSource>;

/** An event as the API returns it. */
export const Event = z.object({
  id: Id,
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  startAt: z.string(),
  endAt: z.string(),
  timeZone: z.string(),
  venue: z.string().nullable(),
  maxCapacity: z.number().int().nullable(),
  ownerId: Id,
  hostIds: z.array(Id),
  registeredCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Event = z.infer<typeof Event>;

/** A registration as the API returns it. */
export const Registration = z.object({
  eventId: Id,
  userId: Id,
  registeredAt: z.string(),
  source: RegistrationSource,
  utm: Utm.optional(),
  campaignId: z.string().optional(),
  messageId: z.string().optional(),
  campaignToken: z.string().optional(),
});
export type Registration = z.infer<typeof Registration>;
