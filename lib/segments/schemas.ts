import { z } from "zod";

import { FilterTree } from "@/lib/audience/schemas";
import { Id, text } from "@/lib/schemas/common";

/*
 * A segment is a named filter tree. Its count is never stored: it is computed from the audience index
 * whenever a segment is read, so it is always live. Names need not be unique (segments are addressed by
 * id, and two people may well save "VIPs"); the list shows the newest first.
 */

/** Body of POST /api/segments. */
export const CreateSegmentInput = z.strictObject({
  name: text(100),
  description: text(500).optional(),
  filter: FilterTree,
});
export type CreateSegmentInput = z.infer<typeof CreateSegmentInput>;

/** Body of PATCH /api/segments/{id}: any subset; null clears the description. */
export const UpdateSegmentInput = z
  .strictObject({
    name: text(100).optional(),
    description: text(500).nullable().optional(),
    filter: FilterTree.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Give at least one field to change." });
export type UpdateSegmentInput = z.infer<typeof UpdateSegmentInput>;

/** A saved segment; `count` is the live number of matching users when the reader asked for it. */
export const Segment = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  filter: z.unknown().describe("The filter tree (see POST /api/users/filter)"),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.int(),
  count: z.int().optional().describe("Users matching right now"),
});
export type Segment = Omit<z.infer<typeof Segment>, "filter"> & { filter: FilterTree };

/** Query of GET /api/segments/{id}: `count=false` skips the live count. */
export const SegmentReadQuery = z.strictObject({
  count: z.enum(["true", "false"]).default("true").describe("Include the live count (default true)"),
});
