import type { StandInContext } from "@/dev/dynamodb/context";
import { conditionalCheckFailed, DynamoError, validationError, type JsonObject } from "@/dev/dynamodb/errors";
import { keyId, keyOf, missingKeyAttribute, type Item } from "@/dev/dynamodb/items";
import type { Change } from "@/dev/dynamodb/stream-log";

type SingleWrite = "PutItem" | "UpdateItem" | "DeleteItem";

/** Reads ReturnValuesOnConditionCheckFailure, which dynalite ignores; throws ValidationException if malformed. */
export function returnOldOnFailure(body: JsonObject, field = "returnValuesOnConditionCheckFailure"): boolean {
  const v = body.ReturnValuesOnConditionCheckFailure;
  if (v === undefined || v === "NONE") return false;
  if (v === "ALL_OLD") return true;
  throw validationError(
    `1 validation error detected: Value '${String(v)}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
  );
}

/**
 * PutItem / UpdateItem / DeleteItem through dynalite, adding ReturnValuesOnConditionCheckFailure and a stream
 * record. Must run under the write lock: the image read before and the write must not interleave with others.
 */
export async function singleWrite(
  ctx: StandInContext,
  op: SingleWrite,
  body: JsonObject,
): Promise<JsonObject> {
  const returnOld = returnOldOnFailure(body);
  const data = ctx.engine.validate(op, body);
  const table = data.TableName as string;
  const streaming = ctx.log.wants(table);
  const schema = streaming || returnOld ? await ctx.schemaOf(table) : undefined;
  // A copy: dynalite's UpdateItem builds a new item on top of the request's Key object.
  const source = (op === "PutItem" ? data.Item : data.Key) as Item;
  // An incomplete key gets no image reads: dynalite's own write then answers with DynamoDB's message.
  const key = schema && !missingKeyAttribute(source, schema) ? keyOf(source, schema) : undefined;
  const stored = streaming && key ? await ctx.getStored(table, key) : undefined;
  const oldImage = stored?.item as Item | undefined;

  let result: JsonObject;
  let newRaw: Buffer | undefined;
  try {
    if (op === "PutItem" && streaming && key) {
      // The old image was just read under this write lock, so dynalite need not read it again.
      ({ result, raw: newRaw } = await ctx.engine.putItem(await ctx.describe(table), data, oldImage));
    } else {
      result = await ctx.engine.exec(op, data);
    }
  } catch (err) {
    if (
      returnOld &&
      key &&
      err instanceof DynamoError &&
      err.shortName === "ConditionalCheckFailedException"
    ) {
      // Under the write lock nothing changed since the failed check, so a read now sees what it saw.
      const current = streaming ? oldImage : await ctx.getImage(table, key);
      throw conditionalCheckFailed(current);
    }
    throw err;
  }

  if (streaming && key) {
    let newImage = op === "PutItem" ? (data.Item as Item) : undefined;
    if (op === "UpdateItem") {
      const after = await ctx.getStored(table, key);
      newImage = after?.item as Item | undefined;
      newRaw = after?.raw;
    }
    await ctx.log.append([{ table, keys: key, oldImage, oldRaw: stored?.raw, newImage, newRaw }]);
  }
  return result;
}

interface WriteRequest {
  PutRequest?: { Item: Item };
  DeleteRequest?: { Key: Item };
}

/**
 * BatchWriteItem through dynalite with one stream record per changed item. Old images are read (in parallel)
 * only for tables with a stream. Must run under the write lock.
 */
export async function batchWrite(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const data = ctx.engine.validate("BatchWriteItem", body);
  const requestItems = data.RequestItems as Record<string, WriteRequest[]>;
  const pending: { table: string; keys: Item; newImage?: Item; id: string }[] = [];
  const oldImages = new Map<string, Item>();

  for (const [table, requests] of Object.entries(requestItems)) {
    if (!ctx.log.wants(table)) continue;
    const schema = await ctx.schemaOf(table);
    const keys: Item[] = [];
    for (const r of requests) {
      const source = r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {};
      // dynalite rejects the whole batch for an incomplete key, with DynamoDB's message.
      if (missingKeyAttribute(source, schema)) return ctx.engine.exec("BatchWriteItem", data);
      const keys1 = keyOf(source, schema);
      keys.push(keys1);
      pending.push({ table, keys: keys1, newImage: r.PutRequest?.Item, id: keyId(table, keys1, schema) });
    }
    for (const [id, item] of await ctx.getImages(table, keys, schema)) oldImages.set(id, item);
  }

  const result = await ctx.engine.exec("BatchWriteItem", data);

  if (pending.length > 0) {
    const changes: Change[] = pending.map((p) => ({
      table: p.table,
      keys: p.keys,
      oldImage: oldImages.get(p.id),
      newImage: p.newImage,
    }));
    await ctx.log.append(changes);
  }
  return result;
}
