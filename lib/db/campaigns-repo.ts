import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";

import { type CampaignRecipient, type CampaignSnapshot } from "@/lib/campaigns/recipient-store";
import { type RecipientRow } from "@/lib/campaigns/recipient-transitions";
import { type AudienceSpec, type CampaignStatus } from "@/lib/campaigns/schemas";
import { type EventVars } from "@/lib/campaigns/template";
import { getDb, tableName } from "@/lib/db/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/db/cursor";
import {
  CAMPAIGNS_LIST_PK,
  OUTBOX_PENDING_PK,
  campaignKey,
  campaignListKeys,
  outboxKey,
  outboxPendingKeys,
} from "@/lib/db/keys";
import { replaceChunks, toChunks } from "@/lib/db/recipient-chunks";
import { withRetry } from "@/lib/db/retry";
import { conditionFailed, isConditionFailure, transactWrite } from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";

// No "server-only": the standalone campaign runner (tsx) uses these verbs.

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

async function queryAll(input: QueryCommandInput, visit: (items: Record<string, unknown>[]) => void) {
  let start: Record<string, unknown> | undefined;
  do {
    const out = await send(() => getDb().send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    visit(out.Items ?? []);
    start = out.LastEvaluatedKey;
  } while (start);
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
 * Copies the audience into the campaign as `pending` recipients (chunks of 50, BatchWrite) and records the
 * count. Call while the campaign is a draft; re-freezing replaces the earlier recipients.
 * @throws NotFoundError when the campaign is missing; ConflictError when it is no longer a draft.
 */
export async function freezeRecipients(campaignId: string, recipients: NewRecipient[]): Promise<number> {
  const now = Date.now();
  const chunks = toChunks(
    campaignId,
    recipients.map((r) => {
      const row: RecipientRow = {
        recipientId: r.recipientId,
        email: r.email,
        status: "pending",
        attempts: 0,
        updatedAt: now,
      };
      for (const f of RECIPIENT_FIELDS) if (r[f]) row[f] = r[f];
      return row;
    }),
  );
  const count = chunks.reduce((n, c) => n + c.rows.length, 0);
  const ok = await conditionalUpdate({
    TableName: tableName(),
    Key: campaignKey(campaignId),
    UpdateExpression: "SET recipientCount = :n, updatedAt = :at",
    ConditionExpression: "attribute_exists(PK) AND #s = :draft",
    ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: {
      ":n": count,
      ":at": new Date(now).toISOString(),
      ":draft": "draft",
    },
  });
  if (!ok) {
    if (!(await getCampaign(campaignId))) throw new NotFoundError("Campaign", campaignId);
    throw new ConflictError("Recipients can only be frozen while the campaign is a draft.");
  }
  await replaceChunks(campaignId, chunks);
  return count;
}

/** Moves the campaign to `to` if its status is one of `from` (any when omitted); false when it was not. */
export function moveCampaignStatus(
  campaignId: string,
  to: CampaignStatus,
  from?: CampaignStatus[],
): Promise<boolean> {
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
