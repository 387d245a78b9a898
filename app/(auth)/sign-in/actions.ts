"use server";

import { MagicLinkInput, PasswordSignInInput, type SignInResult } from "@/app/(auth)/sign-in/schema";
import { verifyCredentials } from "@/lib/auth/credentials";
import { requestMagicLink } from "@/lib/auth/magic-link";
import { startSession } from "@/lib/auth/session";

const WRONG = "That email and password do not match a member.";

/** Checks the password and sets the session cookie. Next rejects cross-site calls by Origin. */
export async function signInWithPassword(input: PasswordSignInInput): Promise<SignInResult> {
  const parsed = PasswordSignInInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: WRONG };
  try {
    const member = await verifyCredentials(parsed.data.email, parsed.data.password);
    if (!member) return { ok: false, message: WRONG };
    await startSession(member);
    return { ok: true };
  } catch (error) {
    console.error("password sign-in failed", error);
    return { ok: false, message: "Sign-in is unavailable right now. Please try again." };
  }
}

/** Emails a one-time link; the answer is the same for members and strangers. */
export async function sendMagicLink(input: MagicLinkInput): Promise<SignInResult> {
  const parsed = MagicLinkInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: "Enter a valid email address." };
  try {
    await requestMagicLink({ email: parsed.data.email });
    return { ok: true };
  } catch (error) {
    console.error("magic link failed", error);
    return { ok: false, message: "We could not send the link right now. Please try again." };
  }
}
