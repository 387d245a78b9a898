import "server-only";

import { getAudienceIndex } from "@/lib/audience/get-audience-index";
import {
  type AudiencePage,
  type AudienceUser,
  DEFAULT_SORT,
  type FacetBucket,
  type FacetField,
  type FilterTree,
  KEYWORD_FIELDS,
  type SortSpec,
} from "@/lib/audience/schemas";
import { csvCell } from "@/lib/analytics/csv";
import { type Ctx, requireScope } from "@/lib/context";

export interface FilterUsersInput {
  filter: FilterTree;
  sort?: SortSpec;
  limit: number;
  cursor?: string;
}

/**
 * One page of the users matching a filter tree, with the live total.
 * @throws ValidationError (field "cursor") for a bad cursor; UnavailableError while the index starts;
 *   Unauthorized/ForbiddenError.
 */
export async function filterUsers({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: FilterUsersInput;
}): Promise<AudiencePage> {
  requireScope(ctx, "read");
  const index = await getAudienceIndex();
  return index.query({
    filter: input.filter,
    sort: input.sort ?? DEFAULT_SORT,
    limit: input.limit,
    ...(input.cursor !== undefined && { cursor: input.cursor }),
  });
}

/** How many users match right now. @throws UnavailableError; Unauthorized/ForbiddenError. */
export async function countUsers({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { filter: FilterTree };
}): Promise<number> {
  requireScope(ctx, "read");
  const index = await getAudienceIndex();
  return index.count(input.filter);
}

/** Top values of each keyword field among the matching users. @throws UnavailableError; Unauthorized/ForbiddenError. */
export async function facetUsers({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { filter: FilterTree; fields?: FacetField[]; topN?: number };
}): Promise<Partial<Record<FacetField, FacetBucket[]>>> {
  requireScope(ctx, "read");
  const index = await getAudienceIndex();
  return index.facets(input.filter, input.fields ?? [...KEYWORD_FIELDS], input.topN ?? 10);
}

export const USER_CSV_COLUMNS = [
  "id",
  "firstName",
  "lastName",
  "email",
  "phoneNumber",
  "gender",
  "jobTitle",
  "company",
  "city",
  "state",
  "hostedEventCount",
  "attendedEventCount",
  "createdAt",
] as const satisfies readonly (keyof AudienceUser)[];

const EXPORT_PAGE = 500;

/** One CSV line (CRLF ended, RFC 4180 quoting, formula-safe) per user. */
export function userCsvLine(user: AudienceUser): string {
  return USER_CSV_COLUMNS.map((c) => csvCell(user[c])).join(",") + "\r\n";
}

/**
 * Every matching user as CSV, streamed page by page through the index's keyset cursor, so memory stays
 * bounded however large the audience is. The header row is the camelCase field names.
 * @throws UnavailableError before the first byte when the index is not ready; Unauthorized/ForbiddenError.
 */
export async function exportUsersCsv({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { filter: FilterTree; sort?: SortSpec };
}): Promise<ReadableStream<Uint8Array>> {
  requireScope(ctx, "read");
  const index = await getAudienceIndex();
  const encoder = new TextEncoder();
  const sort = input.sort ?? DEFAULT_SORT;
  // One `now` for the whole export so "attended" means the same on every page.
  const now = new Date();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(USER_CSV_COLUMNS.join(",") + "\r\n"));
      }
      const page = await index.query({
        filter: input.filter,
        sort,
        limit: EXPORT_PAGE,
        now,
        ...(cursor !== undefined && { cursor }),
      });
      if (page.items.length > 0) controller.enqueue(encoder.encode(page.items.map(userCsvLine).join("")));
      if (page.nextCursor === null) controller.close();
      else cursor = page.nextCursor;
    },
  });
}
