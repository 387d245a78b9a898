/**
 * The key grammar of the single table. This module alone builds and parses PK/SK/GSI values; repositories
 * call these helpers and never concatenate key strings themselves. See docs/data-model.md.
 */

export interface Key {
  PK: string;
  SK: string;
}

// ---- Users -------------------------------------------------------------------------------------------

export const USER_PREFIX = "USER#";
export const USERS_LIST_PK = "USERS";

export const USER_SK = "PROFILE";

export function userKey(userId: string): Key {
  return { PK: `${USER_PREFIX}${userId}`, SK: USER_SK };
}

/** GSI1 entry listing users by creation time. */
export function userListKeys(createdAt: string, userId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: USERS_LIST_PK, GSI1SK: `${createdAt}#${userId}` };
}

/** Guard item that makes an email unique across users. */
export function emailGuardKey(email: string): Key {
  return { PK: `EMAIL#${normaliseEmail(email)}`, SK: "GUARD" };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** GSI2 partition holding a user's host links and registrations. */
export function userActivityPk(userId: string): string {
  return `${USER_PREFIX}${userId}`;
}

// ---- Events ------------------------------------------------------------------------------------------

export const EVENT_PREFIX = "EVENT#";
export const EVENTS_LIST_PK = "EVENTS";

export const EVENT_SK = "DETAILS";

export function eventKey(eventId: string): Key {
  return { PK: `${EVENT_PREFIX}${eventId}`, SK: EVENT_SK };
}

/** GSI1 entry listing events by start time. */
export function eventListKeys(startAt: string, eventId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: EVENTS_LIST_PK, GSI1SK: `${startAt}#${eventId}` };
}

export function slugGuardKey(slug: string): Key {
  return { PK: `SLUG#${slug}`, SK: "GUARD" };
}

// ---- Hosts -------------------------------------------------------------------------------------------

export const HOST_SK_PREFIX = "HOST#";

export function hostLinkKey(eventId: string, userId: string): Key {
  return { PK: `${EVENT_PREFIX}${eventId}`, SK: `${HOST_SK_PREFIX}${userId}` };
}

/** GSI2 entry: a user's hosted events ordered by start time. */
export function hostLinkUserKeys(
  userId: string,
  startAt: string,
  eventId: string,
): { GSI2PK: string; GSI2SK: string } {
  return { GSI2PK: userActivityPk(userId), GSI2SK: `${HOST_SK_PREFIX}${startAt}#${eventId}` };
}

// ---- Registrations -----------------------------------------------------------------------------------

export const REG_SK_PREFIX = "REG#";

export function registrationKey(eventId: string, userId: string): Key {
  return { PK: `${EVENT_PREFIX}${eventId}`, SK: `${REG_SK_PREFIX}${userId}` };
}

/** GSI2 entry: a user's registrations ordered by registration time. */
export function registrationUserKeys(
  userId: string,
  registeredAt: string,
  eventId: string,
): { GSI2PK: string; GSI2SK: string } {
  return { GSI2PK: userActivityPk(userId), GSI2SK: `${REG_SK_PREFIX}${registeredAt}#${eventId}` };
}

/** The partition of one event (details, host links, registrations). */
export function eventPk(eventId: string): string {
  return `${EVENT_PREFIX}${eventId}`;
}

// ---- API keys ----------------------------------------------------------------------------------------

export const API_KEYS_LIST_PK = "APIKEYS";

export function apiKeyKey(secretHash: string): Key {
  return { PK: `APIKEY#${secretHash}`, SK: "KEY" };
}

export function apiKeyListKeys(createdAt: string, keyId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: API_KEYS_LIST_PK, GSI1SK: `${createdAt}#${keyId}` };
}

// ---- Idempotency -------------------------------------------------------------------------------------

export function idempotencyKey(apiKeyId: string, idempotencyKeyHeader: string): Key {
  return { PK: `IDEMP#${apiKeyId}#${idempotencyKeyHeader}`, SK: "IDEMP" };
}

// ---- Meta --------------------------------------------------------------------------------------------

export function seedMarkerKey(version: string): Key {
  return { PK: "META#seed", SK: version };
}

/** Strips a known prefix from a key value, e.g. idFromKey("USER#42", USER_PREFIX) → "42". */
export function idFromKey(value: string, prefix: string): string {
  if (!value.startsWith(prefix)) throw new Error(`Key ${value} does not start with ${prefix}`);
  return value.slice(prefix.length);
}

// ---- Analytics (owned by lib/analytics) -----------------------------------------------------------------

/** Shards of the rollup change feed on GSI1; spreads index writes, readers query all of them. */
export const ROLLUP_FEED_SHARDS = 4;

const part = (value: string) => encodeURIComponent(value);

/** One rollup row: a UTC day of one (campaign, event, utm triple). Campaign-first PKs spread writes. */
export function rollupKey(
  day: string,
  dims: { campaignId: string; eventId: string; source: string; medium: string; campaign: string },
): Key {
  return {
    PK: `ROLLUP#${part(dims.campaignId)}#${day}`,
    SK: `${part(dims.eventId)}#${part(dims.source)}#${part(dims.medium)}#${part(dims.campaign)}`,
  };
}

/** GSI1 change feed: rows ordered by last update, so readers fetch only what changed since a watermark. */
export function rollupFeedKeys(shard: number, stamp: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: rollupFeedPk(shard), GSI1SK: stamp };
}

export function rollupFeedPk(shard: number): string {
  return `ROLLUPS#${shard}`;
}

/** Dedupe marker of one status event id: a redelivery finds it and changes nothing. */
export function statusEventSeenKey(statusEventId: string): Key {
  return { PK: `MSGEVT#${statusEventId}`, SK: "SEEN" };
}

/** First human open/click of a recipient in a campaign, for unique counts. */
export function firstSeenKey(campaignId: string, recipientId: string, kind: "opened" | "clicked"): Key {
  return { PK: `FIRST#${part(campaignId)}#${part(recipientId)}`, SK: kind };
}

// ---- Campaigns (owned by lib/campaigns, lib/db/campaigns-repo.ts) ----------------------------------------

export const CAMPAIGN_PREFIX = "CAMPAIGN#";
export const CAMPAIGNS_LIST_PK = "CAMPAIGNS";
export const RECIPIENT_CHUNK_SK_PREFIX = "RCHUNK#";
export const OUTBOX_PENDING_PK = "OUTBOX#PENDING";

/** The partition of one campaign: its details item and its frozen recipients. */
export function campaignPk(campaignId: string): string {
  return `${CAMPAIGN_PREFIX}${campaignId}`;
}

export function campaignKey(campaignId: string): Key {
  return { PK: campaignPk(campaignId), SK: "DETAILS" };
}

/** GSI1 entry listing campaigns by creation time. */
export function campaignListKeys(createdAt: string, campaignId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: CAMPAIGNS_LIST_PK, GSI1SK: `${createdAt}#${campaignId}` };
}

/**
 * One chunk of a campaign's frozen recipients (up to 50, a contiguous range in recipient id order), named by
 * its first recipient id: the chunk holding recipient X is the last one whose SK is ≤ RCHUNK#X.
 */
export function recipientChunkKey(campaignId: string, firstRecipientId: string): Key {
  return { PK: campaignPk(campaignId), SK: `${RECIPIENT_CHUNK_SK_PREFIX}${firstRecipientId}` };
}

/** Sparse GSI2 entry present only while a chunk holds a `pending` recipient: the fan-out pages through it. */
export function pendingChunkKeys(
  campaignId: string,
  firstRecipientId: string,
): { GSI2PK: string; GSI2SK: string } {
  return { GSI2PK: `${CAMPAIGN_PREFIX}${campaignId}#PENDING`, GSI2SK: firstRecipientId };
}

export function outboxKey(outboxId: string): Key {
  return { PK: `OUTBOX#${outboxId}`, SK: "OUTBOX" };
}

/** Sparse GSI1 entry present only while the outbox row awaits the relay. */
export function outboxPendingKeys(createdAt: string, outboxId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: OUTBOX_PENDING_PK, GSI1SK: `${createdAt}#${outboxId}` };
}

/** An address that must never be mailed again (unsubscribe, bounce, complaint). */
export function suppressionKey(email: string): Key {
  return { PK: `SUPPRESS#${normaliseEmail(email)}`, SK: "SUPPRESS" };
}

export const SUPPRESSIONS_LIST_PK = "SUPPRESSIONS";

/** GSI1 entry listing suppressions by the time they were added (senders load the list, then what is new). */
export function suppressionListKeys(createdAt: string, email: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: SUPPRESSIONS_LIST_PK, GSI1SK: `${createdAt}#${normaliseEmail(email)}` };
}

// ---- Members and auth (owned by lib/members, lib/auth, lib/db/members-repo.ts) ------------------------------

export const MEMBERS_LIST_PK = "MEMBERS";

/** A dashboard member, keyed by normalised email: sign-in looks members up by email. */
export function memberKey(email: string): Key {
  return { PK: `MEMBER#${normaliseEmail(email)}`, SK: "MEMBER" };
}

/** GSI1 entry listing members by email. */
export function memberListKeys(email: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: MEMBERS_LIST_PK, GSI1SK: normaliseEmail(email) };
}

/** A magic-link token, stored only as its hash; single use, TTL on `expiresAt`. */
export function magicLinkKey(tokenHash: string): Key {
  return { PK: `MAGICLINK#${tokenHash}`, SK: "TOKEN" };
}

// ---- Segments (owned by lib/segments, lib/db/segments-repo.ts) ------------------------------------------

export const SEGMENT_PREFIX = "SEGMENT#";
export const SEGMENTS_LIST_PK = "SEGMENTS";
export const SEGMENT_SK = "DETAILS";

/** A saved audience segment: a named filter tree. */
export function segmentKey(segmentId: string): Key {
  return { PK: `${SEGMENT_PREFIX}${segmentId}`, SK: SEGMENT_SK };
}

/** GSI1 entry listing segments by creation time. */
export function segmentListKeys(createdAt: string, segmentId: string): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: SEGMENTS_LIST_PK, GSI1SK: `${createdAt}#${segmentId}` };
}
