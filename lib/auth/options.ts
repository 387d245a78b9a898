import "server-only";

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { EmailConfig } from "next-auth/providers/email";
import { z } from "zod";

import { membersAdapter } from "@/lib/auth/adapter";
import {
  authSecret,
  MAGIC_LINK_MAX_AGE_S,
  SESSION_MAX_AGE_S,
  sessionCookie,
  wantsSecureCookies,
} from "@/lib/auth/config";
import { verifyCredentials } from "@/lib/auth/credentials";
import { sendMagicLinkEmail } from "@/lib/auth/magic-link";
import { getMember } from "@/lib/db/members-repo";
import { getEnv } from "@/lib/env";

/*
 * Built on first use, not at import: `next build` imports route modules without any environment.
 * next-auth reads NEXTAUTH_URL for the URLs it builds; scripts/stack.ts sets it, APP_URL is the fallback.
 */
let cached: NextAuthOptions | undefined;

const Credentials = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(1024),
});

export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  process.env.NEXTAUTH_URL ??= getEnv().APP_URL;
  // A hand-built provider: next-auth's Email() factory imports nodemailer, which we do not ship; SES sends.
  const email: EmailConfig = {
    id: "email",
    type: "email",
    name: "Email",
    server: {},
    from: getEnv().SES_FROM_ADDRESS,
    maxAge: MAGIC_LINK_MAX_AGE_S,
    options: {},
    sendVerificationRequest: ({ identifier, url }) => sendMagicLinkEmail({ to: identifier, url }),
  };
  cached = {
    secret: authSecret(),
    adapter: membersAdapter(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    useSecureCookies: wantsSecureCookies(),
    cookies: { sessionToken: sessionCookie() },
    pages: { signIn: "/sign-in", error: "/sign-in", verifyRequest: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials) {
          const parsed = Credentials.safeParse(credentials);
          if (!parsed.success) return null;
          const member = await verifyCredentials(parsed.data.email, parsed.data.password);
          return member ? { id: member.email, email: member.email, name: member.name } : null;
        },
      }),
      email,
    ],
    callbacks: {
      // Magic links only for existing members; members are invited by admins, never self-created.
      async signIn({ user, account }) {
        if (account?.provider !== "email") return true;
        return user.email ? (await getMember(user.email)) !== null : false;
      },
    },
  };
  return cached;
}
