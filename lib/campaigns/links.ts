import { getEnv } from "@/lib/env";
import {
  isHttpUrl,
  signToken,
  verifyToken,
  type ClickClaims,
  type OpenClaims,
  type UnsubscribeClaims,
  type UtmParams,
} from "@/lib/tracking/tokens";

/*
 * Tracked links: every http(s) link in a campaign body points at `${APP_URL}/r/<token>`; the routes resolve
 * tokens back with the functions below. Resolution is stateless (the token carries the URL and UTM values),
 * so a click needs no database read before redirecting.
 */

const UTM_KEYS = ["source", "medium", "campaign", "content"] as const;

/**
 * Returns `url` with utm_source/medium/campaign/content added. Existing query parameters, their order and the
 * fragment are kept; a utm_* parameter the author already set wins over ours.
 * @throws TypeError when `url` is not an absolute URL.
 */
export function appendUtm(url: string, utm: UtmParams): string {
  const target = new URL(url);
  for (const key of UTM_KEYS) {
    const value = utm[key];
    const name = `utm_${key}`;
    if (value && !target.searchParams.has(name)) target.searchParams.append(name, value);
  }
  return target.toString();
}

/** Where the tracking routes live, relative to APP_URL; tokens follow directly. */
export const TRACKING_PATH = { click: "/r/", open: "/o/", unsubscribe: "/u/" } as const;

/** APP_URL without trailing slashes: the prefix of every tracked URL. */
export function trackingBase(appUrl: string = getEnv().APP_URL): string {
  return appUrl.replace(/\/+$/, "");
}

/** The tracked URL for one link of one recipient's message. */
export function clickUrl(
  claims: Omit<ClickClaims, "kind">,
  appUrl = getEnv().APP_URL,
  secret = getEnv().RALLY_SECRET,
): string {
  return `${trackingBase(appUrl)}${TRACKING_PATH.click}${signToken({ kind: "click", ...claims }, secret)}`;
}

/** The open-pixel URL for one recipient's message. */
export function openPixelUrl(
  claims: Omit<OpenClaims, "kind">,
  appUrl = getEnv().APP_URL,
  secret = getEnv().RALLY_SECRET,
): string {
  return `${trackingBase(appUrl)}${TRACKING_PATH.open}${signToken({ kind: "open", ...claims }, secret)}`;
}

/** The one-click unsubscribe URL (RFC 8058 POST target and visible footer link). */
export function unsubscribeUrl(
  claims: Omit<UnsubscribeClaims, "kind">,
  appUrl = getEnv().APP_URL,
  secret = getEnv().RALLY_SECRET,
): string {
  return `${trackingBase(appUrl)}${TRACKING_PATH.unsubscribe}${signToken({ kind: "unsubscribe", ...claims }, secret)}`;
}

export interface ResolvedClick {
  claims: ClickClaims;
  /** Where to redirect: the author's URL with UTM parameters. Always http(s). */
  location: string;
}

/**
 * Resolves a /r/<token> click. Returns null for anything not signed by us or not pointing at http(s), so the
 * route answers 404 without a Location header and can never be used as an open redirect.
 */
export function resolveClick(
  token: string,
  secret = getEnv().RALLY_SECRET,
  appUrl = getEnv().APP_URL,
): ResolvedClick | null {
  const claims = verifyToken(token, "click", secret);
  if (!claims) return null;
  const location = withAttributionToken(appendUtm(claims.url, claims.utm), token, appUrl);
  return isHttpUrl(location) ? { claims, location } : null;
}

/**
 * A link to one of our own public event pages also carries the click token as `rt`, so a registration made
 * there is tied to the campaign and message (lib/attribution). Other sites never see the token.
 */
function withAttributionToken(location: string, token: string, appUrl: string): string {
  const target = new URL(location);
  if (target.origin !== new URL(appUrl).origin || !target.pathname.startsWith("/e/")) return location;
  if (!target.searchParams.has("rt")) target.searchParams.set("rt", token);
  return target.toString();
}

/** Resolves a /o/<token> open pixel; null when invalid. */
export function resolveOpen(token: string, secret = getEnv().RALLY_SECRET): OpenClaims | null {
  return verifyToken(token, "open", secret);
}

/** Resolves a /u/<token> unsubscribe; null when invalid. */
export function resolveUnsubscribe(token: string, secret = getEnv().RALLY_SECRET): UnsubscribeClaims | null {
  return verifyToken(token, "unsubscribe", secret);
}
