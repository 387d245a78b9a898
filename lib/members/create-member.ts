import { randomUUID } from "node:crypto";

import { hashPassword } from "@/lib/auth/password";
import { type Ctx, requireRole } from "@/lib/context";
import { insertMember } from "@/lib/db/members-repo";
import { CreateMemberInput, type Member } from "@/lib/members/schemas";

// No "server-only": scripts/create-member.ts and ensureDemoMember() call this under tsx.

/**
 * Adds a dashboard member (admin only). Without a password the member signs in by magic link.
 * @throws ZodError on bad input; ConflictError when the email is a member already; Unauthorized/ForbiddenError.
 */
export async function createMember({ ctx, input }: { ctx: Ctx; input: CreateMemberInput }): Promise<Member> {
  requireRole(ctx, "admin");
  const data = CreateMemberInput.parse(input);
  const now = new Date().toISOString();
  const member: Member = {
    id: randomUUID(),
    email: data.email,
    name: data.name,
    role: data.role,
    hasPassword: data.password !== undefined,
    createdAt: now,
    updatedAt: now,
  };
  await insertMember(member, data.password ? await hashPassword(data.password) : null);
  return member;
}
