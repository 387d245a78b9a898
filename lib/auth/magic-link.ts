import "server-only";

import { randomBytes } from "node:crypto";

import { SendEmailCommand } from "@aws-sdk/client-sesv2";

import { hashMagicLinkToken, MAGIC_LINK_MAX_AGE_S } from "@/lib/auth/config";
import { getMember, insertMagicLinkToken } from "@/lib/db/members-repo";
import { createSesClient } from "@/lib/email/ses-mailer";
import { getEnv } from "@/lib/env";

let ses: ReturnType<typeof createSesClient> | undefined;
let sesEndpoint: string | undefined;

function sesClient() {
  const endpoint = getEnv().SES_ENDPOINT ?? "aws";
  if (!ses || sesEndpoint !== endpoint) {
    ses = createSesClient();
    sesEndpoint = endpoint;
  }
  return ses;
}

/** Sends the sign-in link through SES (the emulator locally) from the app's sender address. */
export async function sendMagicLinkEmail({ to, url }: { to: string; url: string }): Promise<void> {
  const { host } = new URL(url);
  const text = `Sign in to Rally:\n\n${url}\n\nThe link works once and expires in ${MAGIC_LINK_MAX_AGE_S / 60} minutes. If you did not ask for it, ignore this email.`;
  const html = `<p>Sign in to Rally on ${escapeHtml(host)}:</p><p><a href="${escapeHtml(url)}">Sign in</a></p><p>The link works once and expires in ${MAGIC_LINK_MAX_AGE_S / 60} minutes. If you did not ask for it, ignore this email.</p>`;
  await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: getEnv().SES_FROM_ADDRESS,
      Destination: { ToAddresses: [to] },
      Content: {
        Simple: {
          Subject: { Data: "Your Rally sign-in link", Charset: "UTF-8" },
          Body: { Text: { Data: text, Charset: "UTF-8" }, Html: { Data: html, Charset: "UTF-8" } },
        },
      },
    }),
  );
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Emails a single-use sign-in link to a member. Unknown emails get nothing and the same answer, so the form
 * does not reveal who is a member. The link lands on next-auth's email callback, which consumes the token
 * through lib/auth/adapter.ts.
 * @throws when SES or DynamoDB fail.
 */
export async function requestMagicLink({
  email,
  callbackPath = "/events",
}: {
  email: string;
  callbackPath?: string;
}): Promise<void> {
  const member = await getMember(email);
  if (!member) return;
  const token = randomBytes(32).toString("hex");
  const expires = new Date(Date.now() + MAGIC_LINK_MAX_AGE_S * 1000);
  await insertMagicLinkToken(hashMagicLinkToken(token), { identifier: member.email, expires });
  const appUrl = getEnv().APP_URL.replace(/\/$/, "");
  const params = new URLSearchParams({
    callbackUrl: `${appUrl}${callbackPath}`,
    token,
    email: member.email,
  });
  await sendMagicLinkEmail({ to: member.email, url: `${appUrl}/api/auth/callback/email?${params}` });
}
