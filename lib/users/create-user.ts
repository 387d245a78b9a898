import "server-only";

import { randomUUID } from "node:crypto";

import { type Ctx, requireScope } from "@/lib/context";
import { insertUser } from "@/lib/db/users-repo";
import { CreateUserInput, type User } from "@/lib/users/schemas";

/**
 * Creates a user with a unique email.
 * @throws ZodError on bad input; ConflictError when the email is taken; Unauthorized/ForbiddenError.
 */
export async function createUser({ ctx, input }: { ctx: Ctx; input: CreateUserInput }): Promise<User> {
  requireScope(ctx, "write");
  const data = CreateUserInput.parse(input);
  const now = new Date().toISOString();
  const user: User = {
    id: randomUUID(),
    firstName: data.firstName,
    lastName: data.lastName,
    email: data.email,
    phoneNumber: data.phoneNumber ?? null,
    avatar: data.avatar ?? null,
    gender: data.gender ?? null,
    jobTitle: data.jobTitle ?? null,
    company: data.company ?? null,
    city: data.city ?? null,
    state: data.state ?? null,
    hostedEventCount: 0,
    attendedEventCount: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await insertUser(user);
  return user;
}
