import { z } from "zod";

import {
  DEFAULT_PAGE_SIZE,
  FilterTree,
  MAX_PAGE_SIZE,
  SORT_FIELDS,
  SortField,
  SortSpec,
} from "@/lib/audience/schemas";

/** `"-createdAt"` (descending) or `"lastName"`, the same grammar as the GET `sort` parameter. */
const SortString = z
  .string()
  .regex(
    new RegExp(`^-?(${SORT_FIELDS.join("|")})$`),
    `One of ${SORT_FIELDS.join(", ")}, optionally with a leading -.`,
  )
  .transform((s): SortSpec => {
    const desc = s.startsWith("-");
    return { field: SortField.parse(desc ? s.slice(1) : s), order: desc ? "desc" : "asc" };
  });

/** Body of POST /api/users/filter. Kept free of server-only imports: the dashboard parses with it too. */
export const FilterUsersBody = z.strictObject({
  filter: FilterTree,
  sort: z.union([SortString, SortSpec]).optional(),
  limit: z.int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).max(2048).optional(),
});
export type FilterUsersBody = z.output<typeof FilterUsersBody>;
