import "server-only";

import { type Ctx, requireRole } from "@/lib/context";
import { listMemberItems, updateMemberRole } from "@/lib/db/members-repo";
import { ConflictError } from "@/lib/errors";
import { ChangeMemberRoleInput, type Member } from "@/lib/members/schemas";

/** All members, by email. @throws Unauthorized/ForbiddenError unless admin. */
export async function listMembers({ ctx }: { ctx: Ctx }): Promise<Member[]> {
  requireRole(ctx, "admin");
  return listMemberItems();
}

/**
 * Changes a member's role (admin only); the team always keeps at least one admin.
 * @throws ZodError; NotFoundError; ConflictError when it would remove the last admin; Unauthorized/ForbiddenError.
 */
export async function changeMemberRole({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ChangeMemberRoleInput;
}): Promise<Member> {
  requireRole(ctx, "admin");
  const data = ChangeMemberRoleInput.parse(input);
  if (data.role !== "admin") {
    const admins = (await listMemberItems()).filter((m) => m.role === "admin");
    if (admins.length === 1 && admins[0]?.email === data.email)
      throw new ConflictError("The team needs at least one admin.", [
        { field: "role", message: "Make someone else admin first." },
      ]);
  }
  return updateMemberRole(data.email, data.role, new Date().toISOString());
}
