import { dummyPasswordHash, verifyPassword } from "@/lib/auth/password";
import { getMemberCredentials } from "@/lib/db/members-repo";
import { type Member } from "@/lib/members/schemas";

// No "server-only": next-auth's authorize() and the sign-in action both call this.

/**
 * The member whose password matches, or null. Unknown emails and magic-link-only members still cost one
 * scrypt, so response time does not tell who is a member.
 */
export async function verifyCredentials(email: string, password: string): Promise<Member | null> {
  const found = await getMemberCredentials(email);
  const hash = found?.passwordHash ?? (await dummyPasswordHash());
  const ok = await verifyPassword(password, hash);
  return ok && found?.passwordHash ? found.member : null;
}
