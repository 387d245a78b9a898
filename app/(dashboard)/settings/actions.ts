"use server";

import { revalidatePath } from "next/cache";

import { runAction } from "@/lib/auth/action";
import { type ActionResult } from "@/lib/auth/action-result";
import { type ApiKey, type CreateApiKeyInput } from "@/lib/api-keys/schemas";
import { adminCreateApiKey, adminRevokeApiKey } from "@/lib/members/api-keys";
import { createMember } from "@/lib/members/create-member";
import { changeMemberRole } from "@/lib/members/manage-members";
import { type ChangeMemberRoleInput, type CreateMemberInput, type Member } from "@/lib/members/schemas";

// Admin-only verbs: each checks the session's role itself, whatever the page showed.

export async function createApiKeyAction(
  input: CreateApiKeyInput,
): Promise<ActionResult<{ key: ApiKey; secret: string }>> {
  const result = await runAction((ctx) => adminCreateApiKey({ ctx, input }));
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function revokeApiKeyAction(id: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await adminRevokeApiKey({ ctx, input: { id: String(id) } });
    return null;
  });
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function createMemberAction(input: CreateMemberInput): Promise<ActionResult<Member>> {
  const result = await runAction((ctx) => createMember({ ctx, input }));
  if (result.ok) revalidatePath("/settings");
  return result;
}

export async function changeMemberRoleAction(input: ChangeMemberRoleInput): Promise<ActionResult<Member>> {
  const result = await runAction((ctx) => changeMemberRole({ ctx, input }));
  if (result.ok) revalidatePath("/settings");
  return result;
}
