import { type MessageHeader } from "@/lib/email/mailer";

/**
 * RFC 8058 one-click unsubscribe headers (RFC 2369 List-Unsubscribe + List-Unsubscribe-Post). Gmail and Yahoo
 * require both on bulk mail; the URL must accept a POST with body `List-Unsubscribe=One-Click`.
 * @throws TypeError when the URL is not absolute http(s) or contains characters that would break the header.
 */
export function unsubscribeHeaders(url: string): MessageHeader[] {
  // A pattern, not a URL parse: this runs once per recipient, and all the header needs is an absolute http(s)
  // URL with nothing that could end the <...> or the header line.
  if (!/^https?:\/\/[^\s<>/?#]+[^\s<>]*$/i.test(url)) {
    throw new TypeError(
      `List-Unsubscribe needs an absolute http(s) URL without whitespace or angle brackets.`,
    );
  }
  return [
    { name: "List-Unsubscribe", value: `<${url}>` },
    { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
  ];
}
