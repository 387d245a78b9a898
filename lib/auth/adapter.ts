import "server-only";

import type { Adapter, AdapterUser } from "next-auth/adapters";

import { consumeMagicLinkToken, getMember, insertMagicLinkToken } from "@/lib/db/members-repo";
import { type Member } from "@/lib/members/schemas";

/** next-auth's user id is the member's email: the member table is keyed by it. */
function toAdapterUser(member: Member): AdapterUser {
  return { id: member.email, email: member.email, name: member.name, emailVerified: null };
}

/**
 * The slice of a next-auth adapter the email provider needs, over the members table. Sessions are JWTs, so
 * there are no session or account rows; members are only ever created by admins, never by signing in.
 */
export function membersAdapter(): Adapter {
  return {
    async getUser(id) {
      const member = await getMember(id);
      return member ? toAdapterUser(member) : null;
    },
    async getUserByEmail(email) {
      const member = await getMember(email);
      return member ? toAdapterUser(member) : null;
    },
    async updateUser(user) {
      // Only called with emailVerified after a magic link; there is nothing to store for it.
      const member = user.id ? await getMember(user.id) : null;
      if (!member) throw new Error("Unknown member.");
      return toAdapterUser(member);
    },
    createUser() {
      // Unreachable: the signIn callback refuses non-members first.
      throw new Error("Members are created by admins, not by signing in.");
    },
    async createVerificationToken(token) {
      // `token.token` is already hashed by next-auth.
      await insertMagicLinkToken(token.token, { identifier: token.identifier, expires: token.expires });
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      const stored = await consumeMagicLinkToken(token);
      // next-auth passes the link's email parameter, which may be missing; the token alone then decides.
      const claimed = (identifier as string | undefined)?.trim().toLowerCase();
      if (!stored || (claimed && stored.identifier !== claimed)) return null;
      if (stored.expires.getTime() < Date.now()) return null;
      return { identifier: stored.identifier, token, expires: stored.expires };
    },
  };
}
