import { createHash } from "node:crypto";

import { getEnv } from "@/lib/env";

// No "server-only": unit tests and the session helpers share these values.

/** Session lifetime: a working day plus margin; roles are re-read on every request anyway. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;
/** Magic links are short-lived and single use. */
export const MAGIC_LINK_MAX_AGE_S = 15 * 60;

/** next-auth's signing key, derived from RALLY_SECRET so one secret configures the app. */
export function authSecret(): string {
  return createHash("sha256").update(`next-auth|${getEnv().RALLY_SECRET}`).digest("hex");
}

/** Secure cookies everywhere except plain-http localhost development and tests. */
export function wantsSecureCookies(appUrl: string = getEnv().APP_URL): boolean {
  const url = new URL(appUrl);
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  return url.protocol === "https:" || !local;
}

/** The session cookie: httpOnly, sameSite=lax, Secure (with the __Secure- prefix) outside localhost. */
export function sessionCookie(appUrl?: string): {
  name: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean };
} {
  const secure = wantsSecureCookies(appUrl);
  return {
    name: `${secure ? "__Secure-" : ""}rally.session-token`,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure },
  };
}

/** How next-auth stores email tokens (sha256 of token + secret); our action must store the same. */
export function hashMagicLinkToken(token: string, secret: string = authSecret()): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}
