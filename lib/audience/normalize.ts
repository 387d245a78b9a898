import type { AudienceUser, SortField } from "@/lib/audience/schemas";

/** Keyword values match case-insensitively with surrounding spaces ignored. */
export function normalizeKeyword(value: string | undefined): string {
  return value === undefined ? "" : value.trim().toLowerCase();
}

/** Search text: lower case, trimmed, inner runs of white space collapsed to one space. */
export function normalizeSearch(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, " ");
}

/**
 * The strings a `q` prefix is matched against. "first last" also covers a prefix of the first name
 * alone, so three keys are enough for the four cases the filter language names.
 */
export function searchKeys(user: Pick<AudienceUser, "email" | "firstName" | "lastName">): {
  email: string;
  lastName: string;
  fullName: string;
} {
  return {
    email: normalizeSearch(user.email),
    lastName: normalizeSearch(user.lastName),
    fullName: normalizeSearch(`${user.firstName} ${user.lastName}`),
  };
}

export type SortKey = string | number;

/** Sort key of a user: normalised text (missing = "") or a number; createdAt sorts as epoch milliseconds. */
export function sortKeyOf(user: AudienceUser, field: SortField): SortKey {
  switch (field) {
    case "createdAt":
      return parseTime(user.createdAt);
    case "hostedEventCount":
    case "attendedEventCount":
      return user[field];
    default:
      return normalizeKeyword(user[field]);
  }
}

/** Epoch milliseconds of an ISO timestamp; an unparsable value sorts first (0) rather than poisoning the order. */
export function parseTime(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Total order on (key, id): code-unit string order, so results do not depend on the server's locale. */
export function compareKeys(ka: SortKey, ia: string, kb: SortKey, ib: string): number {
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (ia === ib) return 0;
  return ia < ib ? -1 : 1;
}
