import type { DynaliteEngine, KeySchemaElement } from "@/dev/dynamodb/engine";
import { resourceNotFound, type JsonObject } from "@/dev/dynamodb/errors";
import type { FaultSwitch } from "@/dev/dynamodb/faults";
import { keyId, type Item } from "@/dev/dynamodb/items";
import type { StreamLog } from "@/dev/dynamodb/stream-log";
import type { TokenCache } from "@/dev/dynamodb/token-cache";

/** What the request handlers share: dynalite, the stream log, fault switch, token cache, key schemas. */
export class StandInContext {
  private readonly schemas = new Map<string, KeySchemaElement[]>();

  constructor(
    readonly engine: DynaliteEngine,
    readonly log: StreamLog,
    readonly faults: FaultSwitch,
    readonly tokens: TokenCache,
  ) {}

  /** The table's key schema; throws ResourceNotFoundException when the table does not exist. */
  async schemaOf(table: string): Promise<KeySchemaElement[]> {
    const cached = this.schemas.get(table);
    if (cached) return cached;
    const desc = await this.engine.getTable(table);
    if (!desc) throw resourceNotFound();
    this.schemas.set(table, desc.KeySchema);
    return desc.KeySchema;
  }

  forgetTable(table: string): void {
    this.schemas.delete(table);
  }

  /** Consistent read of one item, or undefined. */
  async getImage(table: string, key: Item): Promise<Item | undefined> {
    const res = await this.engine.call("GetItem", { TableName: table, Key: key, ConsistentRead: true });
    return res.Item as Item | undefined;
  }

  /** Consistent reads of many items of one table, keyed by keyId(); one BatchGetItem per 100 keys. */
  async getImages(table: string, keys: Item[], schema: KeySchemaElement[]): Promise<Map<string, Item>> {
    const out = new Map<string, Item>();
    for (let i = 0; i < keys.length; i += 100) {
      const chunk = keys.slice(i, i + 100);
      const res = await this.engine.call("BatchGetItem", {
        RequestItems: { [table]: { Keys: chunk, ConsistentRead: true } },
      });
      const items = ((res.Responses as JsonObject | undefined)?.[table] ?? []) as Item[];
      for (const item of items) out.set(keyId(table, item, schema), item);
    }
    return out;
  }
}
