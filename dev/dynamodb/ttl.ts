import type { StandInContext } from "@/dev/dynamodb/context";
import type { RwLock } from "@/dev/dynamodb/rw-lock";
import { DynamoError, resourceNotFound, validationError, type JsonObject } from "@/dev/dynamodb/errors";
import { keyOf, type Item } from "@/dev/dynamodb/items";

/** DynamoDB leaves alone items whose TTL is more than five years in the past (likely not epoch seconds). */
const FIVE_YEARS_S = 5 * 365 * 24 * 60 * 60;
export const TTL_USER_IDENTITY = { Type: "Service", PrincipalId: "dynamodb.amazonaws.com" } as const;

/** UpdateTimeToLive; throws ValidationException (already in that state), ResourceNotFoundException. */
export async function updateTimeToLive(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const table = body.TableName;
  const spec = body.TimeToLiveSpecification as { Enabled?: unknown; AttributeName?: unknown } | undefined;
  if (typeof table !== "string")
    throw validationError(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  if (
    !spec ||
    typeof spec.Enabled !== "boolean" ||
    typeof spec.AttributeName !== "string" ||
    !spec.AttributeName
  ) {
    throw validationError(
      "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!(await ctx.engine.getTable(table))) throw resourceNotFound();
  const current = ctx.log.ttl(table);
  if (spec.Enabled && current?.enabled) throw validationError("TimeToLive is already enabled");
  if (!spec.Enabled && !current?.enabled) throw validationError("TimeToLive is already disabled");
  if (!spec.Enabled && current && current.attributeName !== spec.AttributeName) {
    throw validationError(
      `TimeToLive is active on a different AttributeName: current AttributeName is ${current.attributeName}`,
    );
  }
  await ctx.log.setTtl(
    table,
    spec.Enabled ? { attributeName: spec.AttributeName, enabled: true } : undefined,
  );
  return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
}

/** DescribeTimeToLive; throws ResourceNotFoundException. */
export async function describeTimeToLive(ctx: StandInContext, body: JsonObject): Promise<JsonObject> {
  const table = body.TableName;
  if (typeof table !== "string" || !(await ctx.engine.getTable(table))) throw resourceNotFound();
  const setting = ctx.log.ttl(table);
  return {
    TimeToLiveDescription: setting?.enabled
      ? { TimeToLiveStatus: "ENABLED", AttributeName: setting.attributeName }
      : { TimeToLiveStatus: "DISABLED" },
  };
}

/**
 * Deletes expired items a page at a time. Each pass scans at most `pageSize` items per TTL-enabled table and
 * resumes where the previous pass stopped, so a large table costs a bounded amount per tick; a full cycle over N
 * items takes N / pageSize ticks. Expiry latency is therefore not instant, as on DynamoDB (there: up to days).
 */
export class TtlSweeper {
  private readonly cursors = new Map<string, Item | undefined>();

  constructor(
    private readonly ctx: StandInContext,
    private readonly lock: RwLock,
    private readonly pageSize = 1000,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** One pass over every TTL-enabled table; returns how many items expired. */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const [table, setting] of this.ctx.log.ttlTables()) {
      if (!setting.enabled) continue;
      try {
        removed += await this.sweepTable(table, setting.attributeName);
      } catch (err) {
        // A table deleted between the settings read and the scan simply has nothing left to expire.
        if (!(err instanceof DynamoError && err.shortName === "ResourceNotFoundException")) throw err;
        this.cursors.delete(table);
      }
    }
    return removed;
  }

  private async sweepTable(table: string, attr: string): Promise<number> {
    const now = this.nowSeconds();
    const names = { "#ttl": attr };
    const values = { ":now": { N: String(now) }, ":oldest": { N: String(now - FIVE_YEARS_S) } };
    const condition = "#ttl < :now AND #ttl >= :oldest";
    const page = await this.lock.read(() =>
      this.ctx.engine.call("Scan", {
        TableName: table,
        Limit: this.pageSize,
        ConsistentRead: true,
        FilterExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(this.cursors.get(table) ? { ExclusiveStartKey: this.cursors.get(table) } : {}),
      }),
    );
    this.cursors.set(table, page.LastEvaluatedKey as Item | undefined);
    const expired = (page.Items ?? []) as Item[];
    if (expired.length === 0) return 0;
    const schema = await this.ctx.schemaOf(table);
    return this.lock.write(async () => {
      let removed = 0;
      const changes = [];
      for (const item of expired) {
        const key = keyOf(item, schema);
        try {
          // The condition re-checks expiry: the item may have been rewritten with a new TTL since the scan.
          const res = await this.ctx.engine.call("DeleteItem", {
            TableName: table,
            Key: key,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_OLD",
          });
          removed++;
          changes.push({
            table,
            keys: key,
            oldImage: res.Attributes as Item,
            userIdentity: { ...TTL_USER_IDENTITY },
          });
        } catch (err) {
          if (!(err instanceof DynamoError && err.shortName === "ConditionalCheckFailedException")) throw err;
        }
      }
      await this.ctx.log.append(changes);
      return removed;
    });
  }
}
