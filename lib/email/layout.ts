import { createHash } from "node:crypto";

/*
 * The shell every campaign email shares: HTML document, footer with the reason and the unsubscribe link, open
 * pixel; and the text part's footer. The renderer (lib/campaigns/template.ts) fills it per recipient; the SES
 * mailer installs the same shell as an SES template with placeholders, so a bulk send carries only what
 * differs per recipient (about a quarter fewer bytes per message than the whole document). Both paths give
 * byte-identical messages because the shell is plain concatenation of the parts.
 */

/** One message's variable parts, already in final form (HTML parts escaped). */
export interface MessageLayout {
  /** Escaped subject, for <title>. */
  titleHtml: string;
  /** The body paragraphs. */
  bodyHtml: string;
  /** Escaped "You are receiving this email because …". */
  reasonHtml: string;
  /** Escaped unsubscribe URL. */
  unsubscribeHtml: string;
  /** Escaped open-pixel URL. */
  pixelHtml: string;
  bodyText: string;
  reasonText: string;
  unsubscribeText: string;
}

export function layoutHtml(
  p: Pick<MessageLayout, "titleHtml" | "bodyHtml" | "reasonHtml" | "unsubscribeHtml" | "pixelHtml">,
): string {
  return [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${p.titleHtml}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#111">',
    p.bodyHtml,
    '<hr style="border:0;border-top:1px solid #ddd">',
    `<p style="font-size:12px;color:#666">${p.reasonHtml} <a href="${p.unsubscribeHtml}">Unsubscribe</a></p>`,
    `<img src="${p.pixelHtml}" width="1" height="1" alt="" style="display:block;border:0">`,
    "</body></html>",
  ].join("\n");
}

export function layoutText(p: Pick<MessageLayout, "bodyText" | "reasonText" | "unsubscribeText">): string {
  return `${p.bodyText}\n\n--\n\n${p.reasonText}\nUnsubscribe: ${p.unsubscribeText}`;
}

const PART_NAMES = [
  "titleHtml",
  "bodyHtml",
  "reasonHtml",
  "unsubscribeHtml",
  "pixelHtml",
  "bodyText",
  "reasonText",
  "unsubscribeText",
] as const satisfies readonly (keyof MessageLayout)[];

/** The shell as a Handlebars (SES) template: each part a raw `{{{placeholder}}}`, subject from `{{{subject}}}`. */
export function layoutTemplate(): { name: string; subject: string; html: string; text: string } {
  const slots = Object.fromEntries(PART_NAMES.map((k) => [k, `{{{${k}}}}`])) as unknown as MessageLayout;
  const html = layoutHtml(slots);
  const text = layoutText(slots);
  // Named by content: a changed shell becomes a new SES template instead of silently using a stale one.
  const digest = createHash("sha256").update(`${html}\u0000${text}`).digest("hex").slice(0, 12);
  return { name: `rally-layout-${digest}`, subject: "{{{subject}}}", html, text };
}
