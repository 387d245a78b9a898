import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";

import { getEnv } from "@/lib/env";

/*
 * Signed tokens for the public tracking routes (/r click, /o open, /u one-click unsubscribe).
 * Shape: base64url(JSON array payload) "." base64url(HMAC-SHA256(secret, "rally.t1." + payload)[0..16]).
 * The payload is signed, not encrypted: it holds ids and the destination URL, never an email address.
 * The MAC is truncated to 128 bits to keep links short; forging one still needs 2^128 guesses.
 * No module-level "server-only": the campaign runner imports this under tsx.
 */

const MAC_BYTES = 16;
const DOMAIN = "rally.t1.";

export type TokenKind = "click" | "open" | "unsubscribe";

export interface UtmParams {
  source: string;
  medium: string;
  campaign: string;
  content?: string;
}

export interface ClickClaims {
  kind: "click";
  campaignId: string;
  recipientId: string;
  /** 1-based position of the link in the body. */
  linkIndex: number;
  /** The author's URL, before UTM tagging; http or https only. */
  url: string;
  utm: UtmParams;
}

export interface OpenClaims {
  kind: "open";
  campaignId: string;
  recipientId: string;
}

export interface UnsubscribeClaims {
  kind: "unsubscribe";
  campaignId: string;
  recipientId: string;
}

export type TokenClaims = ClickClaims | OpenClaims | UnsubscribeClaims;

type Wire =
  | ["c", string, string, number, string, string, string, string, string]
  | ["c", string, string, number, string, string, string, string]
  | ["o", string, string]
  | ["u", string, string];

/** utm_content of a link when the author set none: left out of the token (every email carries several). */
const defaultContent = (linkIndex: number) => `link-${linkIndex}`;

function toWire(claims: TokenClaims): Wire {
  switch (claims.kind) {
    case "click": {
      const head = [
        "c",
        claims.campaignId,
        claims.recipientId,
        claims.linkIndex,
        claims.url,
        claims.utm.source,
        claims.utm.medium,
        claims.utm.campaign,
      ] as const;
      return claims.utm.content === defaultContent(claims.linkIndex)
        ? [...head]
        : [...head, claims.utm.content ?? ""];
    }
    case "open":
      return ["o", claims.campaignId, claims.recipientId];
    case "unsubscribe":
      return ["u", claims.campaignId, claims.recipientId];
  }
}

function isStr(v: unknown): v is string {
  return typeof v === "string";
}

function fromWire(value: unknown): TokenClaims | null {
  if (!Array.isArray(value) || !value.every((v) => isStr(v) || Number.isInteger(v))) return null;
  const [tag, campaignId, recipientId] = value as unknown[];
  if (!isStr(campaignId) || !isStr(recipientId)) return null;
  if (tag === "o" && value.length === 3) return { kind: "open", campaignId, recipientId };
  if (tag === "u" && value.length === 3) return { kind: "unsubscribe", campaignId, recipientId };
  if (tag === "c" && (value.length === 8 || value.length === 9)) {
    const [, , , linkIndex, url, source, medium, campaign, given] = value as unknown[];
    if (typeof linkIndex !== "number" || !isStr(url) || !isHttpUrl(url)) return null;
    const content = value.length === 8 ? defaultContent(linkIndex) : given;
    if (!isStr(source) || !isStr(medium) || !isStr(campaign) || !isStr(content)) return null;
    return {
      kind: "click",
      campaignId,
      recipientId,
      linkIndex,
      url,
      utm: { source, medium, campaign, ...(content === "" ? {} : { content }) },
    };
  }
  return null;
}

/** True for absolute http: and https: URLs; everything else (javascript:, data:, relative) is refused. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

// A campaign renders and signs the same few author links for every recipient; parsing each URL once per
// process keeps the check without paying for it 100,000 times.
const checkedLinks = new Map<string, boolean>();
/** isHttpUrl, remembered per URL: for the author's links, which repeat for every recipient. */
export function isHttpLink(value: string): boolean {
  let ok = checkedLinks.get(value);
  if (ok === undefined) {
    ok = isHttpUrl(value);
    if (checkedLinks.size >= 1_000) checkedLinks.clear();
    checkedLinks.set(value, ok);
  }
  return ok;
}

// The secret as a key object, made once: createHmac would otherwise re-encode the string on every token.
const keyObjects = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keyObjects.get(secret);
  if (!key) {
    if (keyObjects.size >= 16) keyObjects.clear();
    key = createSecretKey(Buffer.from(secret, "utf8"));
    keyObjects.set(secret, key);
  }
  return key;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", keyFor(secret))
    .update(DOMAIN + payload)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** A token from the wire array's JSON text. */
function signWire(json: string, secret: string): string {
  const payload = Buffer.from(json, "utf8").toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

/**
 * Signs claims into a URL-safe token.
 * @throws TypeError when a click token's URL is not http(s) — such links must never become redirects.
 */
export function signToken(claims: TokenClaims, secret: string = getEnv().RALLY_SECRET): string {
  if (claims.kind === "click" && !isHttpLink(claims.url)) {
    throw new TypeError(`Refusing to sign a non-http(s) link: ${claims.url}`);
  }
  return signWire(JSON.stringify(toWire(claims)), secret);
}

/** One tracked link of a campaign, as its click tokens carry it. */
export interface TrackedLink {
  linkIndex: number;
  url: string;
  utm: UtmParams;
}

/** The tokens of one recipient's message: unsubscribe, open pixel, and one per link (in the links' order). */
export interface MessageTokens {
  unsubscribe: string;
  open: string;
  clicks: string[];
}

/**
 * Signs every token of a campaign's messages, one recipient at a time. The same tokens as signToken, with the
 * parts every recipient shares encoded once per campaign instead of once per token.
 * @throws TypeError when a link is not http(s), as signToken.
 */
export function messageTokenSigner(
  secret: string,
  campaignId: string,
  links: readonly TrackedLink[],
): (recipientId: string) => MessageTokens {
  const campaign = JSON.stringify(campaignId);
  const clickParts = links.map((link) => {
    const wire = toWire({ kind: "click", campaignId, recipientId: "", ...link });
    if (!isHttpLink(link.url)) throw new TypeError(`Refusing to sign a non-http(s) link: ${link.url}`);
    // Everything after the recipient id: `,<index>,"<url>",…]`.
    return JSON.stringify(wire.slice(3)).slice(1);
  });
  return (recipientId) => {
    const head = `${campaign},${JSON.stringify(recipientId)}`;
    return {
      unsubscribe: signWire(`["u",${head}]`, secret),
      open: signWire(`["o",${head}]`, secret),
      clicks: clickParts.map((tail) => signWire(`["c",${head},${tail}`, secret)),
    };
  };
}

/**
 * Verifies a token and returns its claims, or null when it is malformed, tampered with, signed with another
 * secret, or of another kind than `expected`. Never throws on untrusted input.
 */
export function verifyToken<K extends TokenKind>(
  token: string,
  expected: K,
  secret: string = getEnv().RALLY_SECRET,
): Extract<TokenClaims, { kind: K }> | null {
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
  const payload = token.slice(0, dot);
  // Compare the canonical text, not decoded bytes: base64url decoding ignores stray characters and spare bits.
  const given = Buffer.from(token.slice(dot + 1), "utf8");
  const wanted = Buffer.from(mac(secret, payload).toString("base64url"), "utf8");
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const claims = fromWire(decoded);
  if (!claims || claims.kind !== expected) return null;
  return claims as Extract<TokenClaims, { kind: K }>;
}
