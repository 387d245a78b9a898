/*
 * Flags machine opens and clicks so analytics can exclude them. Nothing here drops an event: callers store the
 * event with `bot` and `botReasons` and let reports choose.
 *
 * Heuristics (documented in docs/adr/0003-campaign-delivery.md):
 * - Image proxies fetch the pixel on the user's behalf: Google (GoogleImageProxy), Yahoo (YahooMailProxy),
 *   Outlook/Office 365 (their prefetchers identify as "ms-office" / "Microsoft Outlook" with "preview").
 *   Apple Mail Privacy Protection prefetches every image through Apple relays with the bare UA
 *   "Mozilla/5.0" (no platform token); a real mail client always sends a platform token.
 * - Link scanners (Safe Links, Proofpoint, Mimecast, Barracuda, ...) click every link seconds after delivery.
 *   Any click within `minHumanClickSeconds` (default 10) of delivery is flagged, whatever the UA.
 * - Generic automation UAs (bot, crawler, spider, headless, curl, python-requests, ...) are flagged.
 */

export interface BotVerdict {
  bot: boolean;
  reasons: string[];
}

const PROXY_PATTERNS: [RegExp, string][] = [
  [/GoogleImageProxy/i, "google-image-proxy"],
  [/YahooMailProxy/i, "yahoo-mail-proxy"],
  [/\bms-office\b|Microsoft Outlook.*preview|OutlookImageProxy/i, "outlook-proxy"],
];

const SCANNER_PATTERNS: [RegExp, string][] = [
  [/safelinks|Microsoft Office Existence Discovery|BingPreview/i, "microsoft-scanner"],
  [/proofpoint/i, "proofpoint"],
  [/mimecast/i, "mimecast"],
  [/barracuda/i, "barracuda"],
  [
    /symantec|messagelabs|forcepoint|trend ?micro|zscaler|fortiguard|sophos|cisco.*(ironport|umbrella)/i,
    "scanner",
  ],
];

const AUTOMATION =
  /bot\b|bot\/|crawler|spider|headless|phantomjs|curl\/|wget\/|python-requests|go-http-client|java\/|okhttp|node-fetch|axios\//i;

function uaReasons(userAgent: string | null | undefined, patterns: [RegExp, string][]): string[] {
  const ua = (userAgent ?? "").trim();
  if (!ua) return ["no-user-agent"];
  const reasons = patterns.filter(([re]) => re.test(ua)).map(([, name]) => name);
  if (AUTOMATION.test(ua)) reasons.push("automation-user-agent");
  return reasons;
}

export interface OpenSignal {
  userAgent?: string | null;
}

/** Flags opens fetched by privacy proxies or automation rather than seen by a person. */
export function classifyOpen(signal: OpenSignal): BotVerdict {
  const reasons = uaReasons(signal.userAgent, PROXY_PATTERNS);
  if ((signal.userAgent ?? "").trim() === "Mozilla/5.0") reasons.push("apple-mail-privacy-protection");
  return { bot: reasons.length > 0, reasons };
}

export interface ClickSignal {
  userAgent?: string | null;
  /** When the message was handed to SES; absent when unknown. */
  deliveredAt?: Date | string | number | null;
  clickedAt: Date | string | number;
  /** Clicks sooner than this after delivery are machine clicks. Default 10. */
  minHumanClickSeconds?: number;
}

/** Flags clicks by link scanners, automation, or anything faster than a person can open and click. */
export function classifyClick(signal: ClickSignal): BotVerdict {
  const reasons = uaReasons(signal.userAgent, [...SCANNER_PATTERNS, ...PROXY_PATTERNS]);
  if (signal.deliveredAt !== undefined && signal.deliveredAt !== null) {
    const elapsed = (new Date(signal.clickedAt).getTime() - new Date(signal.deliveredAt).getTime()) / 1000;
    if (Number.isFinite(elapsed) && elapsed < (signal.minHumanClickSeconds ?? 10)) reasons.push("too-fast");
  }
  return { bot: reasons.length > 0, reasons };
}
