import { type MessageHeader } from "@/lib/email/mailer";

/**
 * RFC 8058 one-click unsubscribe headers (RFC 2369 List-Unsubscribe + List-Unsubscribe-Post). Gmail and Yahoo
 * require both on bulk mail; the URL must accept a POST with body `List-Unsubscribe=One-Click`.
 * @throws TypeError when the URL is not absolute http(s) or contains characters that would break the header.
 */
export function unsubscribeHeaders(url: string): MessageHeader[] {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`List-Unsubscribe needs an http(s) URL, got ${parsed.protocol}`);
  }
  const href = parsed.toString();
  if (/[\s<>]/.test(href)) throw new TypeError("List-Unsubscribe URL contains whitespace or angle brackets.");
  return [
    { name: "List-Unsubscribe", value: `<${href}>` },
    { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
  ];
}
