import "server-only";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { encode } from "next-auth/jwt";
import { cache } from "react";

import { authSecret, SESSION_MAX_AGE_S, sessionCookie } from "@/lib/auth/config";
import { getAuthOptions } from "@/lib/auth/options";
import { memberActor } from "@/lib/auth/roles";
import { type Ctx } from "@/lib/context";
import { getMember } from "@/lib/db/members-repo";
import { type Member } from "@/lib/members/schemas";

/**
 * Maps a session's email to a Ctx. The member is re-read so a role change or removal applies on the next
 * request instead of when the JWT expires; no member means no actor.
 */
export function ctxFromMember(member: Member | null, requestId?: string): Ctx {
  return { actor: member ? memberActor(member) : null, ...(requestId ? { requestId } : {}) };
}

/** The signed-in member for this request (one read, memoised per request), or null. */
export const getSessionMember = cache(async (): Promise<Member | null> => {
  const session = await getServerSession(getAuthOptions());
  const email = session?.user?.email;
  return email ? getMember(email) : null;
});

/** Ctx for server actions and pages; the actor is null when signed out, so verbs refuse. */
export async function getSessionCtx(): Promise<Ctx> {
  return ctxFromMember(await getSessionMember());
}

/** For pages and layouts: the member, or a redirect to /sign-in. */
export async function requireSessionMember(): Promise<Member> {
  const member = await getSessionMember();
  if (!member) redirect("/sign-in");
  return member;
}

/**
 * Starts a session from a server action (password sign-in): the same JWT and cookie next-auth would issue
 * from its credentials callback, so getServerSession reads it.
 */
export async function startSession(member: Member): Promise<void> {
  const token = await encode({
    token: { sub: member.email, email: member.email, name: member.name },
    secret: authSecret(),
    maxAge: SESSION_MAX_AGE_S,
  });
  const cookie = sessionCookie();
  (await cookies()).set(cookie.name, token, { ...cookie.options, maxAge: SESSION_MAX_AGE_S });
}
