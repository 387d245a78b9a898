import { compileFlatParams } from "@/lib/audience/compile-flat-params";
import { FilterTree, MAX_PAGE_SIZE } from "@/lib/audience/schemas";
import { getCampaignAudienceIndex } from "@/lib/campaigns/audience-source";
import { mapWithConcurrency } from "@/lib/campaigns/concurrency";
import { type AudienceSpec } from "@/lib/campaigns/schemas";
import { type NewRecipient } from "@/lib/db/campaigns-repo";
import { getSegmentOrThrow } from "@/lib/db/segments-repo";
import { getUser } from "@/lib/db/users-repo";
import { ValidationError } from "@/lib/errors";

// No "server-only": scripts (bench:send) resolve audiences under tsx.

/**
 * Compiles an audience's filter into a tree: flat fields through the audience list's own compiler (so the
 * same names and errors apply), trees through the FilterTree schema.
 * @throws ValidationError naming each unknown or invalid filter field.
 */
export function compileAudienceFilter(spec: Extract<AudienceSpec, { kind: "filter" }>): FilterTree {
  if (spec.flat) {
    try {
      return compileFlatParams(spec.flat).filter;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        "Invalid filter.",
        error.errors.map((e) => ({ ...e, field: `filter.${e.field}` })),
      );
    }
  }
  const parsed = FilterTree.safeParse(spec.filter);
  if (parsed.success) return parsed.data;
  throw new ValidationError(
    "Invalid filter.",
    parsed.error.issues.map((i) => ({
      field: ["filter", ...i.path.map(String)].join("."),
      message: i.message,
    })),
  );
}

type Opt = string | null | undefined;

function toRecipient(user: {
  id: string;
  email: string;
  firstName?: Opt;
  lastName?: Opt;
  company?: Opt;
  jobTitle?: Opt;
  city?: Opt;
  state?: Opt;
}): NewRecipient {
  return {
    recipientId: user.id,
    email: user.email,
    ...(user.firstName ? { firstName: user.firstName } : {}),
    ...(user.lastName ? { lastName: user.lastName } : {}),
    ...(user.company ? { company: user.company } : {}),
    ...(user.jobTitle ? { jobTitle: user.jobTitle } : {}),
    ...(user.city ? { city: user.city } : {}),
    ...(user.state ? { state: user.state } : {}),
  };
}

/** How many users an audience matches right now (what "send" would freeze). Same errors as below. */
export async function countAudience(spec: AudienceSpec, now = new Date()): Promise<number> {
  if (spec.kind === "users") return (await resolveRecipients(spec, now)).length;
  return (await getCampaignAudienceIndex()).count(await filterOf(spec), now);
}

/** The filter tree of a filter or segment audience (a segment's saved tree is read now). */
async function filterOf(spec: Exclude<AudienceSpec, { kind: "users" }>): Promise<FilterTree> {
  if (spec.kind === "segment") return (await getSegmentOrThrow(spec.segmentId)).filter;
  return compileAudienceFilter(spec);
}

/**
 * The recipients an audience matches now, one per user, in the read model's order (user ids as given for an
 * explicit list; unknown ids are left out). A segment's filter is read at this moment: later edits to the
 * segment do not change a campaign already sent.
 * @throws ValidationError for a bad filter; NotFoundError for an unknown segment.
 */
export async function resolveRecipients(spec: AudienceSpec, now = new Date()): Promise<NewRecipient[]> {
  if (spec.kind === "users") {
    const users = await mapWithConcurrency(spec.userIds, 16, (id) => getUser(id));
    return users.filter((u) => u !== null).map(toRecipient);
  }
  const filter = await filterOf(spec);
  const index = await getCampaignAudienceIndex();
  const out: NewRecipient[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await index.query({ filter, limit: MAX_PAGE_SIZE, now, ...(cursor ? { cursor } : {}) });
    for (const user of page.items) {
      if (seen.has(user.id)) continue;
      seen.add(user.id);
      out.push(toRecipient(user));
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
