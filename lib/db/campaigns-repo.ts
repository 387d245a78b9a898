import { randomUUID } from "node:crypto";

import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";

import {
  emptyProgress,
  type CampaignRecipient,
  type CampaignSnapshot,
  type ProgressCounts,
  type RecipientPage,
  type RecipientStore,
  type Settlement,
  type StatusEvent,
} from "@/lib/campaigns/recipient-store";
import { mapWithConcurrency } from "@/lib/campaigns/concurrency";
import { type AudienceSpec, type CampaignStatus, type RecipientStatus } from "@/lib/campaigns/schemas";
import { type EventVars } from "@/lib/campaigns/template";
import { getDb, tableName } from "@/lib/db/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/db/cursor";
import {
  CAMPAIGNS_LIST_PK,
  OUTBOX_PENDING_PK,
  RECIPIENT_SK_PREFIX,
  campaignKey,
  campaignListKeys,
  campaignPk,
  campaignRecipientKey,
  normaliseEmail,
  outboxKey,
  outboxPendingKeys,
  pendingRecipientKeys,
  suppressionKey,
} from "@/lib/db/keys";
import { withRetry } from "@/lib/db/retry";
import {
  conditionFailed,
  isConditionFailure,
  MAX_TX_ITEMS,
  transactWrite,
  type TxItem,
} from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";

// No "server-only": the standalone campaign runner (tsx) uses this store.

const WRITE_CONCURRENCY = 8;

/** A transaction cancelled on a condition: fall back to single writes. */
class ConditionsFailed extends Error {}
const RECIPIENT_FIELDS = ["firstName", "lastName", "company", "jobTitle", "city", "state"] as const;

export type NewRecipient = Pick<CampaignRecipient, "recipientId" | "email"> &
  Partial<Pick<CampaignRecipient, (typeof RECIPIENT_FIELDS)[number]>>;

export interface StoredCampaign extends CampaignSnapshot {
  eventId?: string;
  /** Who gets it, as given through the API; frozen into recipients when sent. */
  audience?: AudienceSpec;
  /** ISO time before which the fan-out waits (send later). */
  scheduledAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface OutboxRow {
  id: string;
  campaignId: string;
  status: "pending" | "dispatched";
  createdAt: string;
  dispatchedAt?: string;
}

function toCampaign(item: Record<string, unknown>): StoredCampaign {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g1s, entity: _e, ...rest } = item;
  return rest as unknown as StoredCampaign;
}

function toRecipient(item: Record<string, unknown>): CampaignRecipient {
  const { PK: _pk, SK: _sk, GSI2PK: _g2, GSI2SK: _g2s, entity: _e, ...rest } = item;
  return rest as unknown as CampaignRecipient;
}

async function send<T>(command: () => Promise<T>): Promise<T> {
  return withRetry(command);
}

/** Conditional update; false when the condition failed. */
async function conditionalUpdate(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
  try {
    await send(() => getDb().send(new UpdateCommand(input)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Conditional put; false when the condition failed. */
async function conditionalPut(input: ConstructorParameters<typeof PutCommand>[0]): Promise<boolean> {
  try {
    await send(() => getDb().send(new PutCommand(input)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** One item of a transaction the store applies: a conditional whole-item put or a conditional update. */
type ConditionalWrite = { Put: NonNullable<TxItem["Put"]> } | { Update: NonNullable<TxItem["Update"]> };

async function queryAll(input: QueryCommandInput, visit: (items: Record<string, unknown>[]) => void) {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await send(() => getDb().send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    visit(out.Items ?? []);
    start = out.LastEvaluatedKey;
  } while (start);
}

async function batchWriteAll(items: Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  // A few writers in parallel: a 100k-recipient freeze is 4,000 calls.
  await mapWithConcurrency(chunks, 4, async (chunk) => {
    let requests = chunk.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      const out = await send(() =>
        getDb().send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } })),
      );
      requests = (out.UnprocessedItems?.[tableName()] ?? []) as typeof requests;
      if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
    }
  });
}

// ---- Campaign lifecycle verbs (called from lib/campaigns and the API) ---------------------------------

/**
 * Stores a new campaign in `draft`.
 * @throws ConflictError when the id exists.
 */
export async function createCampaignRecord(
  campaign: Omit<StoredCampaign, "status" | "recipientCount" | "updatedAt">,
): Promise<StoredCampaign> {
  const stored: StoredCampaign = {
    ...campaign,
    status: "draft",
    recipientCount: 0,
    updatedAt: campaign.createdAt,
  };
  try {
    await send(() =>
      getDb().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...campaignKey(campaign.id),
            ...campaignListKeys(campaign.createdAt, campaign.id),
            entity: "Campaign",
            ...stored,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError(`Campaign ${campaign.id} already exists.`);
    throw error;
  }
  return stored;
}

/**
 * Copies the audience into the campaign as `pending` recipients (BatchWrite) and records the count. Call while
 * the campaign is a draft; re-freezing overwrites the same recipient ids.
 * @throws NotFoundError when the campaign is missing; ConflictError when it is no longer a draft.
 */
export async function freezeRecipients(campaignId: string, recipients: NewRecipient[]): Promise<number> {
  const now = Date.now();
  const items = recipients.map((r) => {
    const item: Record<string, unknown> = {
      ...campaignRecipientKey(campaignId, r.recipientId),
      ...pendingRecipientKeys(campaignId, r.recipientId),
      entity: "CampaignRecipient",
      campaignId,
      recipientId: r.recipientId,
      email: r.email,
      status: "pending",
      attempts: 0,
      updatedAt: now,
    };
    for (const f of RECIPIENT_FIELDS) if (r[f]) item[f] = r[f];
    return item;
  });
  const ok = await conditionalUpdate({
    TableName: tableName(),
    Key: campaignKey(campaignId),
    UpdateExpression: "SET recipientCount = :n, updatedAt = :at",
    ConditionExpression: "attribute_exists(PK) AND #s = :draft",
    ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: {
      ":n": recipients.length,
      ":at": new Date(now).toISOString(),
      ":draft": "draft",
    },
  });
  if (!ok) {
    if (!(await getCampaign(campaignId))) throw new NotFoundError("Campaign", campaignId);
    throw new ConflictError("Recipients can only be frozen while the campaign is a draft.");
  }
  await batchWriteAll(items);
  return items.length;
}

/** The campaign, or NotFoundError. */
export async function getCampaignOrThrow(campaignId: string): Promise<StoredCampaign> {
  const campaign = await getCampaign(campaignId);
  if (!campaign) throw new NotFoundError("Campaign", campaignId);
  return campaign;
}

export type CampaignChanges = Partial<
  Pick<StoredCampaign, "name" | "subject" | "body" | "utm" | "audience">
> & {
  /** null removes it. */
  eventId?: string | null;
};

/**
 * Applies changes to a draft (null-ish eventId removes it).
 * @throws NotFoundError when missing; ConflictError when it is no longer a draft.
 */
export async function updateCampaignRecord(
  campaignId: string,
  changes: CampaignChanges,
): Promise<StoredCampaign> {
  const names: Record<string, string> = { "#s": "status" };
  const values: Record<string, unknown> = { ":draft": "draft", ":at": new Date().toISOString() };
  const sets = ["updatedAt = :at"];
  const removes: string[] = [];
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) continue;
    names[`#${k}`] = k;
    if (v === null) removes.push(`#${k}`);
    else {
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
  }
  try {
    const out = await send(() =>
      getDb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: campaignKey(campaignId),
          UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
          ConditionExpression: "attribute_exists(PK) AND #s = :draft",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    return toCampaign(out.Attributes ?? {});
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await getCampaignOrThrow(campaignId);
    throw new ConflictError("Only a draft campaign can be changed; this one was already sent.");
  }
}

/**
 * Deletes a draft (drafts hold no recipients yet).
 * @throws NotFoundError when missing; ConflictError when it is no longer a draft.
 */
export async function deleteDraftCampaign(campaignId: string): Promise<void> {
  try {
    await send(() =>
      getDb().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: campaignKey(campaignId),
          ConditionExpression: "attribute_exists(PK) AND #s = :draft",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":draft": "draft" },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    await getCampaignOrThrow(campaignId);
    throw new ConflictError("Only a draft campaign can be deleted; cancel a sending one instead.");
  }
}

/**
 * Campaigns newest first.
 * @throws ValidationError on a foreign or malformed cursor.
 */
export async function listCampaignRecords(opts: {
  limit: number;
  cursor?: string;
}): Promise<Page<StoredCampaign>> {
  const start = decodeCursor(opts.cursor, {
    attributes: ["PK", "SK", "GSI1PK", "GSI1SK"],
    fixed: { GSI1PK: CAMPAIGNS_LIST_PK, SK: "DETAILS" },
  });
  const out = await send(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": CAMPAIGNS_LIST_PK },
        ScanIndexForward: false,
        Limit: opts.limit,
        ExclusiveStartKey: start,
      }),
    ),
  );
  return { items: (out.Items ?? []).map(toCampaign), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

export async function getCampaign(campaignId: string): Promise<StoredCampaign | null> {
  const out = await send(() =>
    getDb().send(
      new GetCommand({ TableName: tableName(), Key: campaignKey(campaignId), ConsistentRead: true }),
    ),
  );
  return out.Item ? toCampaign(out.Item) : null;
}

/**
 * Moves a draft or paused campaign to `sending` and writes its outbox row in one transaction; the relay then
 * emits `campaign/send.requested`.
 * @throws NotFoundError when missing; ConflictError when not draft/paused or the outbox id is taken.
 */
export async function startCampaignSend(
  campaignId: string,
  outboxId: string,
  options: { scheduledAt?: string; event?: EventVars } = {},
): Promise<OutboxRow> {
  const createdAt = new Date().toISOString();
  const when = options.scheduledAt ? { ":when": options.scheduledAt } : {};
  const event = options.event ? { ":event": options.event } : {};
  const row: OutboxRow = { id: outboxId, campaignId, status: "pending", createdAt };
  await transactWrite(
    [
      {
        Update: {
          TableName: tableName(),
          Key: campaignKey(campaignId),
          UpdateExpression: `SET #s = :sending, updatedAt = :at${options.scheduledAt ? ", scheduledAt = :when" : ""}${options.event ? ", event = :event" : ""}`,
          ConditionExpression: "attribute_exists(PK) AND #s IN (:draft, :paused)",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":sending": "sending",
            ":at": createdAt,
            ":draft": "draft",
            ":paused": "paused",
            ...when,
            ...event,
          },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...outboxKey(outboxId),
            ...outboxPendingKeys(createdAt, outboxId),
            entity: "Outbox",
            ...row,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
    ],
    async (reasons) => {
      if (conditionFailed(reasons, 1)) return new ConflictError(`Outbox row ${outboxId} already exists.`);
      if (!(await getCampaign(campaignId))) return new NotFoundError("Campaign", campaignId);
      return new ConflictError("Only a draft or paused campaign can be sent.");
    },
  );
  return row;
}

/** Outbox rows not yet handed to the relay, oldest first. */
export async function listPendingOutbox(limit = 25): Promise<OutboxRow[]> {
  const out = await send(() =>
    getDb().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk",
        ExpressionAttributeValues: { ":pk": OUTBOX_PENDING_PK },
        Limit: limit,
      }),
    ),
  );
  return (out.Items ?? []).map(
    ({ PK: _p, SK: _s, GSI1PK: _g, GSI1SK: _gs, entity: _e, ...rest }) => rest as OutboxRow,
  );
}

/** pending → dispatched (drops the GSI1 entry); false when another relay got there first. */
export function markOutboxDispatched(outboxId: string): Promise<boolean> {
  return conditionalUpdate({
    TableName: tableName(),
    Key: outboxKey(outboxId),
    UpdateExpression: "SET #s = :done, dispatchedAt = :at REMOVE GSI1PK, GSI1SK",
    ConditionExpression: "#s = :pending",
    ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: {
      ":done": "dispatched",
      ":pending": "pending",
      ":at": new Date().toISOString(),
    },
  });
}

/** Campaigns currently in `sending` (for resuming after a process that ran them died). */
export async function listSendingCampaignIds(): Promise<string[]> {
  const ids: string[] = [];
  await queryAll(
    {
      TableName: tableName(),
      IndexName: "GSI1",
      KeyConditionExpression: "GSI1PK = :pk",
      FilterExpression: "#s = :sending",
      ProjectionExpression: "id",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":pk": CAMPAIGNS_LIST_PK, ":sending": "sending" },
    },
    (items) => ids.push(...items.map((i) => String(i.id))),
  );
  return ids;
}

/** One frozen recipient, or null. */
export async function getCampaignRecipient(
  campaignId: string,
  recipientId: string,
): Promise<CampaignRecipient | null> {
  const out = await send(() =>
    getDb().send(
      new GetCommand({
        TableName: tableName(),
        Key: campaignRecipientKey(campaignId, recipientId),
        ConsistentRead: true,
      }),
    ),
  );
  return out.Item ? toRecipient(out.Item) : null;
}

/** Adds an address to the suppression list (idempotent). */
export async function addSuppression(email: string, reason: string): Promise<void> {
  await send(() =>
    getDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...suppressionKey(email),
          entity: "Suppression",
          email: normaliseEmail(email),
          reason,
          createdAt: new Date().toISOString(),
        },
      }),
    ),
  );
}

// ---- The delivery engine's port ---------------------------------------------------------------------

export interface DynamoRecipientStoreOptions {
  /** Where status events go (e.g. the analytics ingest verb); dropped when absent. */
  onStatusEvents?: (events: StatusEvent[], campaign: CampaignSnapshot | null) => Promise<void>;
}

/** RecipientStore on the single table. Each transition is one conditional UpdateItem. */
export class DynamoRecipientStore implements RecipientStore {
  private readonly campaigns = new Map<string, CampaignSnapshot | null>();
  /**
   * Recipients this store claimed and has not settled yet, as read before the claim: settle writes their final
   * item from here (no read of what we just wrote).
   */
  private readonly inFlight = new Map<string, CampaignRecipient>();

  constructor(private readonly options: DynamoRecipientStoreOptions = {}) {}

  async loadCampaign(campaignId: string): Promise<CampaignSnapshot | null> {
    const campaign = await getCampaign(campaignId);
    this.campaigns.set(campaignId, campaign);
    return campaign;
  }

  async setCampaignStatus(campaignId: string, to: CampaignStatus, from?: CampaignStatus[]): Promise<boolean> {
    const values: Record<string, unknown> = { ":to": to, ":at": new Date().toISOString() };
    from?.forEach((s, i) => (values[`:f${i}`] = s));
    return conditionalUpdate({
      TableName: tableName(),
      Key: campaignKey(campaignId),
      UpdateExpression: "SET #s = :to, updatedAt = :at",
      ConditionExpression: from
        ? `attribute_exists(PK) AND #s IN (${from.map((_, i) => `:f${i}`).join(", ")})`
        : "attribute_exists(PK)",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: values,
    });
  }

  async listRecipients(
    campaignId: string,
    options: { limit: number; cursor?: string; status?: RecipientStatus },
  ): Promise<RecipientPage> {
    if (options.status === "pending") {
      // The sparse pending index holds exactly the pending recipients, in id order.
      const gsi = pendingRecipientKeys(campaignId, options.cursor ?? "");
      const out = await send(() =>
        getDb().send(
          new QueryCommand({
            TableName: tableName(),
            IndexName: "GSI2",
            KeyConditionExpression: "GSI2PK = :pk",
            ExpressionAttributeValues: { ":pk": gsi.GSI2PK },
            Limit: options.limit,
            ExclusiveStartKey: options.cursor
              ? { ...campaignRecipientKey(campaignId, options.cursor), ...gsi }
              : undefined,
          }),
        ),
      );
      const items = (out.Items ?? []).map(toRecipient);
      this.remember(items);
      const last = items.at(-1);
      return out.LastEvaluatedKey && last ? { items, cursor: last.recipientId } : { items };
    }
    const items: CampaignRecipient[] = [];
    let start = options.cursor ? campaignRecipientKey(campaignId, options.cursor) : undefined;
    let more = true;
    while (items.length < options.limit && more) {
      const out = await send(() =>
        getDb().send(
          new QueryCommand({
            TableName: tableName(),
            KeyConditionExpression: "PK = :pk AND begins_with(SK, :r)",
            ...(options.status
              ? {
                  FilterExpression: "#s = :s",
                  ExpressionAttributeNames: { "#s": "status" },
                  ExpressionAttributeValues: {
                    ":pk": campaignPk(campaignId),
                    ":r": RECIPIENT_SK_PREFIX,
                    ":s": options.status,
                  },
                }
              : { ExpressionAttributeValues: { ":pk": campaignPk(campaignId), ":r": RECIPIENT_SK_PREFIX } }),
            Limit: options.limit - items.length,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(out.Items ?? []).map(toRecipient));
      more = out.LastEvaluatedKey !== undefined;
      start = out.LastEvaluatedKey as typeof start;
    }
    const last = items.at(-1);
    return more && last ? { items, cursor: last.recipientId } : { items };
  }

  private transitionInput(
    campaignId: string,
    recipientId: string,
    from: RecipientStatus[],
    set: Record<string, unknown>,
    extra: { remove?: string[]; add?: string } = {},
  ) {
    const names: Record<string, string> = { "#s": "status" };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [k, v] of Object.entries(set)) {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    from.forEach((s, i) => (values[`:from${i}`] = s));
    let update = `SET ${sets.join(", ")}`;
    if (extra.add) update += ` ADD ${extra.add}`;
    if (extra.add) values[":one"] = 1;
    if (extra.remove?.length) update += ` REMOVE ${extra.remove.join(", ")}`;
    return {
      TableName: tableName(),
      Key: campaignRecipientKey(campaignId, recipientId),
      UpdateExpression: update,
      ConditionExpression: `#s IN (${from.map((_, i) => `:from${i}`).join(", ")})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  private transition(...args: Parameters<DynamoRecipientStore["transitionInput"]>): Promise<boolean> {
    return conditionalUpdate(this.transitionInput(...args));
  }

  /**
   * Applies conditional writes: first all at once in one transaction per 100 (one round trip, the common
   * uncontended case), and only if a condition fails, one by one so each succeeds or fails alone.
   */
  private async applyAll(inputs: ConditionalWrite[]): Promise<boolean[]> {
    const results: boolean[] = [];
    for (let i = 0; i < inputs.length; i += MAX_TX_ITEMS) {
      const chunk = inputs.slice(i, i + MAX_TX_ITEMS);
      try {
        await transactWrite(chunk, () => new ConditionsFailed());
        results.push(...chunk.map(() => true));
      } catch (error) {
        if (!(error instanceof ConditionsFailed)) throw error;
        results.push(
          ...(await mapWithConcurrency(chunk, WRITE_CONCURRENCY, (input) =>
            "Put" in input ? conditionalPut(input.Put) : conditionalUpdate(input.Update),
          )),
        );
      }
    }
    return results;
  }

  /**
   * The claim of one recipient. A recipient this store just listed is claimed with a conditional put of its
   * whole item: the stand-in then parses no update expression and one short condition, about a quarter less
   * CPU per claim (docs/benchmarks.md). `status = pending AND attempts = listed` pins the exact version that
   * was listed, since every return to pending went through a claim that raised attempts; anything else takes
   * the conditional update.
   */
  private claimInput(
    campaignId: string,
    id: string,
    set: { status: "sending"; leaseExpiresAt: number; updatedAt: number; claimId: string },
  ): ConditionalWrite {
    const listed = this.inFlight.get(`${campaignId}\u0000${id}`);
    if (!listed || typeof listed.attempts !== "number") {
      return {
        Update: this.transitionInput(campaignId, id, ["pending"], set, {
          add: "attempts :one",
          remove: ["GSI2PK", "GSI2SK"],
        }),
      };
    }
    // No GSI2 keys: the put takes the recipient out of the pending index, as the update's REMOVE does.
    const { leaseExpiresAt: _lease, ...kept } = listed;
    return {
      Put: {
        TableName: tableName(),
        Item: {
          ...campaignRecipientKey(campaignId, id),
          entity: "CampaignRecipient",
          ...kept,
          ...set,
          attempts: listed.attempts + 1,
        },
        ConditionExpression: "#s = :pending AND attempts = :attempts",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":pending": "pending", ":attempts": listed.attempts },
      },
    };
  }

  async claim(campaignId: string, recipientIds: string[], leaseMs: number, now: number): Promise<string[]> {
    // A claim id makes the claim recognisable: a transaction that applied but whose answer was lost (retried,
    // then "condition failed") would otherwise strand its recipients in `sending` until they expire unknown.
    const claimId = randomUUID();
    const set = { status: "sending" as const, leaseExpiresAt: now + leaseMs, updatedAt: now, claimId };
    const won = await this.applyAll(recipientIds.map((id) => this.claimInput(campaignId, id, set)));
    const lost = recipientIds.filter((_, i) => !won[i]);
    if (lost.length > 0) {
      const mine = await this.claimedBy(campaignId, lost, claimId);
      recipientIds.forEach((id, i) => {
        if (mine.has(id)) won[i] = true;
      });
    }
    recipientIds.forEach((id, i) => {
      if (!won[i]) this.inFlight.delete(`${campaignId}\u0000${id}`);
    });
    return recipientIds.filter((_, i) => won[i]);
  }

  /** Which of these recipients are `sending` under this claim id (consistent reads). */
  private async claimedBy(campaignId: string, recipientIds: string[], claimId: string): Promise<Set<string>> {
    const mine = new Set<string>();
    for (let i = 0; i < recipientIds.length; i += 100) {
      let keys: Record<string, unknown>[] = recipientIds
        .slice(i, i + 100)
        .map((id) => ({ ...campaignRecipientKey(campaignId, id) }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        const out = await send(() =>
          getDb().send(
            new BatchGetCommand({
              RequestItems: {
                [tableName()]: {
                  Keys: keys,
                  ConsistentRead: true,
                  ProjectionExpression: "recipientId, #s, claimId",
                  ExpressionAttributeNames: { "#s": "status" },
                },
              },
            }),
          ),
        );
        for (const item of out.Responses?.[tableName()] ?? []) {
          if (item.status === "sending" && item.claimId === claimId) mine.add(String(item.recipientId));
        }
        keys = (out.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      }
    }
    return mine;
  }

  /** Remembers listed pending recipients so a claim winner can settle them with plain puts. */
  private remember(items: CampaignRecipient[]): void {
    // Listed but never claimed or settled (suppressed, skipped, lost to a crash) would pile up; forgetting only
    // sends the settle down the conditional path.
    if (this.inFlight.size > 50_000) this.inFlight.clear();
    for (const r of items) this.inFlight.set(`${r.campaignId}\u0000${r.recipientId}`, r);
  }

  async settle(campaignId: string, settlements: Settlement[], now: number): Promise<void> {
    // Final outcomes of our own claims are written as whole items in BatchWrites (no condition, no
    // transaction): after a claim the only other writer is the lease sweep (sending → unknown), and the
    // conditional path allows sending|unknown → sent|failed as well, so a put reaches the same state. Releases
    // back to pending stay conditional.
    const puts: Record<string, unknown>[] = [];
    const rest: Settlement[] = [];
    for (const st of settlements) {
      const key = `${campaignId}\u0000${st.recipientId}`;
      const before = this.inFlight.get(key);
      this.inFlight.delete(key);
      if (!before || st.status === "pending") {
        rest.push(st);
        continue;
      }
      const { leaseExpiresAt: _lease, reason: _reason, ...kept } = before;
      const item: Record<string, unknown> = {
        ...campaignRecipientKey(campaignId, st.recipientId),
        entity: "CampaignRecipient",
        ...kept,
        attempts: before.attempts + 1,
        status: st.status,
        updatedAt: now,
      };
      if (st.status === "sent") Object.assign(item, { providerMessageId: st.providerMessageId, sentAt: now });
      else item.reason = st.reason;
      puts.push(item);
    }
    await batchWriteAll(puts);
    if (rest.length === 0) return;
    await this.applyAll(
      rest.map((st): ConditionalWrite => ({ Update: this.settleInput(campaignId, st, now) })),
    );
  }

  private settleInput(campaignId: string, st: Settlement, now: number) {
    switch (st.status) {
      case "sent":
        return this.transitionInput(
          campaignId,
          st.recipientId,
          ["sending", "unknown"],
          { status: "sent", providerMessageId: st.providerMessageId, sentAt: now, updatedAt: now },
          { remove: ["leaseExpiresAt"] },
        );
      case "failed":
        return this.transitionInput(
          campaignId,
          st.recipientId,
          ["sending", "unknown"],
          { status: "failed", reason: st.reason, updatedAt: now },
          { remove: ["leaseExpiresAt"] },
        );
      case "unknown":
        return this.transitionInput(
          campaignId,
          st.recipientId,
          ["sending"],
          { status: "unknown", reason: st.reason, updatedAt: now },
          { remove: ["leaseExpiresAt"] },
        );
      case "pending":
        return this.transitionInput(
          campaignId,
          st.recipientId,
          ["sending"],
          { status: "pending", updatedAt: now, ...pendingRecipientKeys(campaignId, st.recipientId) },
          { remove: ["leaseExpiresAt"] },
        );
    }
  }

  markSent(campaignId: string, recipientId: string, providerMessageId: string, now: number) {
    return this.transition(
      campaignId,
      recipientId,
      ["sending", "unknown"],
      { status: "sent", providerMessageId, sentAt: now, updatedAt: now },
      { remove: ["leaseExpiresAt"] },
    );
  }

  markFailed(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transition(
      campaignId,
      recipientId,
      ["sending", "unknown"],
      { status: "failed", reason, updatedAt: now },
      { remove: ["leaseExpiresAt"] },
    );
  }

  markUnknown(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transition(
      campaignId,
      recipientId,
      ["sending"],
      { status: "unknown", reason, updatedAt: now },
      { remove: ["leaseExpiresAt"] },
    );
  }

  markSuppressed(campaignId: string, recipientId: string, now: number) {
    return this.transition(
      campaignId,
      recipientId,
      ["pending"],
      { status: "suppressed", updatedAt: now },
      { remove: ["GSI2PK", "GSI2SK"] },
    );
  }

  markSkipped(campaignId: string, recipientId: string, reason: string, now: number) {
    return this.transition(
      campaignId,
      recipientId,
      ["pending"],
      { status: "skipped", reason, updatedAt: now },
      { remove: ["GSI2PK", "GSI2SK"] },
    );
  }

  async release(campaignId: string, recipientIds: string[], now: number): Promise<void> {
    await mapWithConcurrency(recipientIds, WRITE_CONCURRENCY, (id) =>
      this.transition(
        campaignId,
        id,
        ["sending"],
        { status: "pending", updatedAt: now, ...pendingRecipientKeys(campaignId, id) },
        { remove: ["leaseExpiresAt"] },
      ),
    );
  }

  async expireLeases(campaignId: string, now: number): Promise<string[]> {
    const stale: string[] = [];
    await queryAll(
      {
        TableName: tableName(),
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :r)",
        FilterExpression: "#s = :sending AND leaseExpiresAt <= :now",
        ProjectionExpression: "recipientId",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":pk": campaignPk(campaignId),
          ":r": RECIPIENT_SK_PREFIX,
          ":sending": "sending",
          ":now": now,
        },
        ConsistentRead: true,
      },
      (items) => stale.push(...items.map((i) => String(i.recipientId))),
    );
    const moved = await mapWithConcurrency(stale, WRITE_CONCURRENCY, async (id) => {
      try {
        await send(() =>
          getDb().send(
            new UpdateCommand({
              TableName: tableName(),
              Key: campaignRecipientKey(campaignId, id),
              UpdateExpression: "SET #s = :unknown, reason = :why, updatedAt = :now REMOVE leaseExpiresAt",
              ConditionExpression: "#s = :sending AND leaseExpiresAt <= :now",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: {
                ":unknown": "unknown",
                ":sending": "sending",
                ":why": "lease expired",
                ":now": now,
              },
            }),
          ),
        );
        return id;
      } catch (error) {
        if (isConditionFailure(error)) return null;
        throw error;
      }
    });
    return moved.filter((id): id is string => id !== null);
  }

  async isSuppressed(emails: string[]): Promise<Set<string>> {
    const unique = [...new Set(emails.map(normaliseEmail))];
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((e) => ({ ...suppressionKey(e) }));
      for (let attempt = 0; keys.length > 0; attempt++) {
        const out = await send(() =>
          getDb().send(
            new BatchGetCommand({
              RequestItems: { [tableName()]: { Keys: keys, ProjectionExpression: "email" } },
            }),
          ),
        );
        for (const item of out.Responses?.[tableName()] ?? []) found.add(String(item.email));
        keys = (out.UnprocessedKeys?.[tableName()]?.Keys ?? []) as Record<string, unknown>[];
        if (keys.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
      }
    }
    return found;
  }

  async recordStatusEvents(events: StatusEvent[]): Promise<void> {
    if (!this.options.onStatusEvents || events.length === 0) return;
    const campaignId = events[0]!.campaignId;
    await this.options.onStatusEvents(events, this.campaigns.get(campaignId) ?? null);
  }

  async progress(campaignId: string): Promise<ProgressCounts> {
    const counts = emptyProgress();
    await queryAll(
      {
        TableName: tableName(),
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :r)",
        ProjectionExpression: "#s",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":pk": campaignPk(campaignId), ":r": RECIPIENT_SK_PREFIX },
        ConsistentRead: true,
      },
      (items) => {
        for (const item of items) counts[item.status as RecipientStatus]++;
      },
    );
    return counts;
  }
}
