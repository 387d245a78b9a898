import "server-only";

import { type Ctx, requireScope } from "@/lib/context";
import { MAX_PAGE_LIMIT } from "@/lib/db/cursor";
import { getUser, listUsers } from "@/lib/db/users-repo";
import { type User } from "@/lib/users/schemas";

/** Upper bound of users read per search; the audience index will replace this scan for large lists. */
export const SEARCH_SCAN_LIMIT = 5_000;

export interface UserMatch {
  id: string;
  name: string;
  email: string;
}

function matches(user: User, prefix: string): boolean {
  const first = user.firstName.toLowerCase();
  const last = user.lastName.toLowerCase();
  return (
    first.startsWith(prefix) ||
    last.startsWith(prefix) ||
    `${first} ${last}`.startsWith(prefix) ||
    user.email.toLowerCase().startsWith(prefix)
  );
}

/**
 * Users whose first name, last name, full name or email starts with `prefix` (case-insensitive), for pickers.
 * Reads the user list in pages and stops at `limit` matches or SEARCH_SCAN_LIMIT users.
 * @throws Unauthorized/ForbiddenError without read rights.
 */
export async function searchUsersByName({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { prefix: string; limit?: number };
}): Promise<UserMatch[]> {
  requireScope(ctx, "read");
  const prefix = input.prefix.trim().toLowerCase().slice(0, 100);
  const limit = Math.min(Math.max(input.limit ?? 10, 1), 50);
  const found: UserMatch[] = [];
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await listUsers({ limit: MAX_PAGE_LIMIT, cursor });
    scanned += page.items.length;
    for (const user of page.items) {
      if (prefix && !matches(user, prefix)) continue;
      found.push({ id: user.id, name: `${user.firstName} ${user.lastName}`, email: user.email });
      if (found.length >= limit) return found;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && scanned < SEARCH_SCAN_LIMIT);
  return found;
}

/** Names of the given users, for showing picked ids; unknown ids are left out. */
export async function getUserMatches({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { ids: string[] };
}): Promise<UserMatch[]> {
  requireScope(ctx, "read");
  const users = await Promise.all(input.ids.slice(0, 100).map((id) => getUser(id)));
  return users
    .filter((u): u is User => u !== null)
    .map((u) => ({ id: u.id, name: `${u.firstName} ${u.lastName}`, email: u.email }));
}
