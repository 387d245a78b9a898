"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import { facetUsers, filterUsers } from "@/lib/audience/filter-users";
import { FilterUsersBody } from "@/lib/audience/filter-users-input";
import { type AudiencePage, type FacetBucket, type FacetField, FilterTree } from "@/lib/audience/schemas";
import { runAction } from "@/lib/auth/action";
import { type ActionResult } from "@/lib/auth/action-result";
import { createSegment } from "@/lib/segments/segments";
import { CreateSegmentInput } from "@/lib/segments/schemas";
import { createUser } from "@/lib/users/create-user";
import { deleteUser } from "@/lib/users/delete-user";
import { CreateUserInput, UpdateUserInput } from "@/lib/users/schemas";
import { updateUser } from "@/lib/users/update-user";

// Each action: session Ctx → zod parse → one lib verb (which checks the role) → problem-shaped result.

/** One page of the grid. Input is parsed like POST /api/users/filter: a client never sends a raw tree unchecked. */
export async function filterUsersAction(input: unknown): Promise<ActionResult<AudiencePage>> {
  return runAction(async (ctx) => filterUsers({ ctx, input: FilterUsersBody.parse(input) }));
}

/** Facet counts for the chip pickers (top 10 per field). */
export async function facetUsersAction(
  filter: unknown,
  fields: FacetField[],
): Promise<ActionResult<Partial<Record<FacetField, FacetBucket[]>>>> {
  return runAction(async (ctx) =>
    facetUsers({
      ctx,
      input: {
        filter: FilterTree.parse(filter),
        fields: z.array(z.enum(["company", "jobTitle", "city", "state", "gender"])).parse(fields),
        topN: 10,
      },
    }),
  );
}

export async function saveSegmentAction(
  input: unknown,
): Promise<ActionResult<{ id: string; count: number }>> {
  return runAction(async (ctx) => {
    const segment = await createSegment({ ctx, input: CreateSegmentInput.parse(input) });
    return { id: segment.id, count: segment.count ?? 0 };
  });
}

export async function createUserAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  const result = await runAction(async (ctx) => ({
    id: (await createUser({ ctx, input: CreateUserInput.parse(input) })).id,
  }));
  if (result.ok) revalidatePath("/users");
  return result;
}

export async function updateUserAction(id: string, changes: unknown): Promise<ActionResult<{ id: string }>> {
  const result = await runAction(async (ctx) => ({
    id: (await updateUser({ ctx, input: { id: String(id), changes: UpdateUserInput.parse(changes) } })).id,
  }));
  if (result.ok) revalidatePath("/users");
  return result;
}

export async function deleteUserAction(id: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await deleteUser({ ctx, input: { id: String(id) } });
    return null;
  });
  if (result.ok) revalidatePath("/users");
  return result;
}
