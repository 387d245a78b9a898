import { z } from "zod";

import { ROLES } from "@/lib/auth/roles";

export const Role = z.enum(ROLES);

const Email = z.string().trim().toLowerCase().max(254).pipe(z.email("Enter a valid email address."));
const Name = z.string().trim().min(1, "Enter a name.").max(100, "Must be at most 100 characters.");
/** Long passphrases welcome; the cap only bounds hashing work. */
export const Password = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(200, "Must be at most 200 characters.");

/** Invite / create a member. Without a password the member signs in by magic link only. */
export const CreateMemberInput = z
  .object({
    email: Email,
    name: Name,
    role: Role,
    password: Password.optional().or(z.literal("").transform(() => undefined)),
  })
  .strict();
export type CreateMemberInput = z.input<typeof CreateMemberInput>;

export const ChangeMemberRoleInput = z.object({ email: Email, role: Role }).strict();
export type ChangeMemberRoleInput = z.infer<typeof ChangeMemberRoleInput>;

/** A member as pages see it (never the password hash). */
export const Member = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  hasPassword: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Member = z.infer<typeof Member>;
