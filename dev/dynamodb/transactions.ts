import type { StandInContext } from "@/dev/dynamodb/context";
import type { DynaliteOperation, Validated } from "@/dev/dynamodb/engine";
import {
  DynamoError,
  transactionCanceled,
  validationError,
  type CancellationReason,
  type JsonObject,
} from "@/dev/dynamodb/errors";
import { keyId, keyOf, missingKeyAttribute, type Item } from "@/dev/dynamodb/items";
import { returnOldOnFailure } from "@/dev/dynamodb/writes";
import { requestFingerprint } from "@/dev/dynamodb/token-cache";

export const MAX_TRANSACT_ITEMS = 100;

type Kind = "Put" | "Update" | "Delete" | "ConditionCheck";
const KINDS: readonly Kind[] = ["ConditionCheck", "Put", "Delete", "Update"];
const CONDITION_FIELDS = [
  "ConditionExpression",
  "ExpressionAttributeNames",
  "ExpressionAttributeValues",
] as const;

interface Planned {
  kind: Kind;
  table: string;
  key: Item;
  returnOld: boolean;
  /** The request as dynalite's own operation, validated; for ConditionCheck a conditional DeleteItem. */
  data: Validated;
  raw: JsonObject;
}

function pick(obj: JsonObject, fields: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) if (obj[f] !== undefined) out[f] = obj[f];
  return out;
}

function checkCount(items: unknown, field: string): unknown[] {
  if (!Array.isArray(items)) {
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (items.length < 1) {
    throw validationError(
      `1 validation error detected: Value '[]' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  }
  if (items.length > MAX_TRANSACT_ITEMS) {
    throw validationError(
      `1 validation error detected: Value '[${items.length} items]' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACT_ITEMS}`,
    );
  }
  return items;
}

const DUPLICATE_ITEM = "Transaction request cannot include multiple operations on one item";

async function plan(ctx: StandInContext, entries: unknown[]): Promise<Planned[]> {
  const planned: Planned[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const present = KINDS.filter((k) => (entry as JsonObject | null)?.[k] !== undefined);
    if (present.length !== 1)
      throw validationError("TransactItems can only contain one of Check, Put, Update or Delete");
    const kind = present[0]!;
    const raw = (entry as Record<Kind, JsonObject>)[kind];
    const returnOld = returnOldOnFailure(
      raw,
      `transactItems.${i + 1}.member.${kind.charAt(0).toLowerCase()}${kind.slice(1)}.returnValuesOnConditionCheckFailure`,
    );
    let op: DynaliteOperation;
    let body: JsonObject;
    switch (kind) {
      case "Put":
        op = "PutItem";
        body = pick(raw, ["TableName", "Item", ...CONDITION_FIELDS]);
        break;
      case "Update":
        // ALL_NEW hands back the new image for the stream without a second read.
        op = "UpdateItem";
        body = {
          ...pick(raw, ["TableName", "Key", "UpdateExpression", ...CONDITION_FIELDS]),
          ReturnValues: "ALL_NEW",
        };
        break;
      case "Delete":
        op = "DeleteItem";
        body = pick(raw, ["TableName", "Key", ...CONDITION_FIELDS]);
        break;
      case "ConditionCheck":
        if (typeof raw.ConditionExpression !== "string") {
          throw validationError(
            `1 validation error detected: Value null at 'transactItems.${i + 1}.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null`,
          );
        }
        op = "DeleteItem";
        body = pick(raw, ["TableName", "Key", ...CONDITION_FIELDS]);
        break;
    }
    const data = ctx.engine.validate(op, body);
    const table = data.TableName as string;
    const schema = await ctx.schemaOf(table);
    const source = (kind === "Put" ? data.Item : data.Key) as Item;
    const missing = missingKeyAttribute(source, schema);
    if (missing !== undefined || (kind !== "Put" && Object.keys(source).length !== schema.length)) {
      throw validationError(
        kind === "Put"
          ? `One or more parameter values were invalid: Missing the key ${missing} in the item`
          : "The provided key element does not match the schema",
      );
    }
    // A copy: dynalite's UpdateItem builds a new item on top of the request's Key object.
    const key = keyOf(source, schema);
    const id = keyId(table, key, schema);
    if (seen.has(id)) throw validationError(DUPLICATE_ITEM);
    seen.add(id);
    planned.push({ kind, table, key, returnOld, data, raw });
  }
  return planned;
}

function conflictReasons(count: number, random: () => number = Math.random): CancellationReason[] {
  const at = Math.floor(random() * count);
  return Array.from({ length: count }, (_, i) =>
    i === at
      ? { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" }
      : { Code: "None" },
  );
}

function consumedCapacity(body: JsonObject, planned: { table: string }[], unitsPerItem: number): JsonObject {
  if (body.ReturnConsumedCapacity !== "TOTAL" && body.ReturnConsumedCapacity !== "INDEXES") return {};
  const perTable = new Map<string, number>();
  for (const p of planned) perTable.set(p.table, (perTable.get(p.table) ?? 0) + unitsPerItem);
  return {
    ConsumedCapacity: [...perTable].map(([TableName, units]) => ({
      TableName,
      CapacityUnits: units,
      ...(unitsPerItem === 2 ? { WriteCapacityUnits: units } : { ReadCapacityUnits: units }),
    })),
  };
}

/** Puts back the images saved before the transaction, newest write first. */
async function rollback(
  ctx: StandInContext,
  applied: Planned[],
  oldImages: (Item | undefined)[],
  indexOf: Map<Planned, number>,
) {
  for (const p of [...applied].reverse()) {
    const old = oldImages[indexOf.get(p)!];
    if (old) await ctx.engine.call("PutItem", { TableName: p.table, Item: old });
    else await ctx.engine.call("DeleteItem", { TableName: p.table, Key: p.key });
  }
}

/**
 * TransactWriteItems, all or nothing. Every condition is first checked against the images read under the write
 * lock, so all failing items are reported; then the items are applied in order through dynalite's conditional
 * writes, and a failure there restores the earlier items. Must run under the write lock.
 * Throws TransactionCanceledException, ValidationException, IdempotentParameterMismatchException,
 * ResourceNotFoundException.
 */
export async function transactWriteItems(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const entries = checkCount(body.TransactItems, "transactItems");
  const token = body.ClientRequestToken;
  if (token !== undefined && (typeof token !== "string" || token.length < 1 || token.length > 36)) {
    throw validationError(
      "1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36",
    );
  }
  const planned = await plan(ctx, entries);

  // Only a request with a token can be replayed, so only then is it worth a fingerprint.
  const fingerprint =
    typeof token === "string" ? requestFingerprint({ ...body, ClientRequestToken: undefined }) : "";
  if (typeof token === "string") {
    const seen = ctx.tokens.lookup(token, fingerprint);
    if (seen.kind === "replay") return seen.response as JsonObject;
    if (seen.kind === "mismatch") {
      throw new DynamoError(
        "IdempotentParameterMismatchException",
        "Request parameters do not match the parameters of a previous request with the same client request token.",
      );
    }
  }
  if (ctx.faults.shouldConflict()) throw transactionCanceled(conflictReasons(planned.length));

  const stored = await Promise.all(planned.map((p) => ctx.getStored(p.table, p.key)));
  const oldImages = stored.map((s) => s?.item as Item | undefined);

  // Conditions only ever concern their own item, and one item appears once, so checking them all against the
  // pre-transaction images is what DynamoDB does too.
  const reasons: CancellationReason[] = planned.map((p, i) => {
    const old = oldImages[i];
    if (ctx.engine.conditionHolds(p.data, old)) return { Code: "None" };
    return {
      Code: "ConditionalCheckFailed",
      Message: "The conditional request failed",
      ...(p.returnOld && old ? { Item: old } : {}),
    };
  });
  if (reasons.some((r) => r.Code !== "None")) throw transactionCanceled(reasons);

  const applied: Planned[] = [];
  const indexOf = new Map(planned.map((p, i) => [p, i]));
  const newImages: Applied[] = [];
  for (const [i, p] of planned.entries()) {
    try {
      newImages[i] = await apply(ctx, p, oldImages[i]);
      applied.push(p);
    } catch (err) {
      await rollback(ctx, applied, oldImages, indexOf);
      if (!(err instanceof DynamoError)) throw err;
      const failed: CancellationReason =
        err.shortName === "ConditionalCheckFailedException"
          ? { Code: "ConditionalCheckFailed", Message: err.message }
          : {
              Code: err.shortName === "ValidationException" ? "ValidationError" : err.shortName,
              Message: err.message,
            };
      throw transactionCanceled(planned.map((_, j) => (j === i ? failed : { Code: "None" })));
    }
  }

  await ctx.log.append(
    planned
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => p.kind !== "ConditionCheck")
      .map(({ p, i }) => ({
        table: p.table,
        keys: p.key,
        oldImage: oldImages[i],
        oldRaw: stored[i]?.raw,
        newImage: newImages[i]!.image,
        newRaw: newImages[i]!.raw,
      })),
  );
  const response = consumedCapacity(body, planned, 2);
  if (typeof token === "string") ctx.tokens.remember(token, fingerprint, response);
  return response;
}

/** An item's image after its write, with its stored bytes when the write produced them anyway. */
interface Applied {
  image?: Item;
  raw?: Buffer;
}

/** Applies one transaction item through dynalite's conditional write; returns the item's new image. */
async function apply(ctx: StandInContext, p: Planned, old: Item | undefined): Promise<Applied> {
  switch (p.kind) {
    case "Put": {
      // The old image was read under this write lock, so dynalite need not read it again.
      const { raw } = await ctx.engine.putItem(await ctx.describe(p.table), p.data, old);
      return { image: p.data.Item as Item, raw };
    }
    case "Update": {
      const res = await ctx.engine.exec("UpdateItem", p.data);
      // dynalite just stored exactly this image; its bytes spare serialising it for the stream record.
      const raw = ctx.engine.readRaw(await ctx.describe(p.table), p.key);
      return { image: res.Attributes as Item | undefined, raw };
    }
    case "Delete":
      await ctx.engine.exec("DeleteItem", p.data);
      return {};
    case "ConditionCheck":
      if (old) {
        // A bare UpdateItem on an absent key would create a key-only item, hence the two paths.
        await ctx.engine.call("UpdateItem", { ...pick(p.raw, ["TableName", "Key", ...CONDITION_FIELDS]) });
      } else {
        await ctx.engine.exec("DeleteItem", p.data);
      }
      return { image: old };
  }
}

/**
 * TransactGetItems: consistent reads of up to 100 items, taken together under the read lock.
 * Throws ValidationException, TransactionCanceledException (injected conflicts), ResourceNotFoundException.
 */
export async function transactGetItems(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const entries = checkCount(body.TransactItems, "transactItems");
  const gets: { table: string; body: JsonObject }[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const get = (entry as JsonObject | null)?.Get as JsonObject | undefined;
    if (!get) throw validationError("TransactItems can only contain Get");
    const data = ctx.engine.validate("GetItem", {
      ...pick(get, ["TableName", "Key", "ProjectionExpression", "ExpressionAttributeNames"]),
      ConsistentRead: true,
    });
    const table = data.TableName as string;
    const schema = await ctx.schemaOf(table);
    const id = keyId(table, data.Key as Item, schema);
    if (seen.has(id)) throw validationError(DUPLICATE_ITEM);
    seen.add(id);
    gets.push({ table, body: data });
  }
  if (ctx.faults.shouldConflict()) throw transactionCanceled(conflictReasons(gets.length));
  const results = await Promise.all(gets.map((g) => ctx.engine.exec("GetItem", g.body as Validated)));
  return {
    Responses: results.map((r) => (r.Item ? { Item: r.Item } : {})),
    ...consumedCapacity(body, gets, 1),
  };
}
