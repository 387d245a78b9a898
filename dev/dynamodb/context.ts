import type { DynaliteEngine, KeySchemaElement, StoredItem, TableDescription } from "@/dev/dynamodb/engine";
import { resourceNotFound } from "@/dev/dynamodb/errors";
import type { FaultSwitch } from "@/dev/dynamodb/faults";
import { keyId, type Item } from "@/dev/dynamodb/items";
import type { StreamLog } from "@/dev/dynamodb/stream-log";
import type { TokenCache } from "@/dev/dynamodb/token-cache";

/** What the request handlers share: dynalite, the stream log, fault switch, token cache, key schemas. */
export class StandInContext {
  private readonly tables = new Map<string, TableDescription>();

  constructor(
    readonly engine: DynaliteEngine,
    readonly log: StreamLog,
    readonly faults: FaultSwitch,
    readonly tokens: TokenCache,
  ) {}

  /**
   * The table's description, remembered: key schema, attribute types and (in dynalite) secondary indexes never
   * change, and UpdateTable forgets it anyway. Throws ResourceNotFoundException.
   */
  async describe(table: string): Promise<TableDescription> {
    const cached = this.tables.get(table);
    if (cached) return cached;
    const desc = await this.engine.getTable(table);
    if (!desc) throw resourceNotFound();
    this.tables.set(table, desc);
    return desc;
  }

  /** The table's key schema; throws ResourceNotFoundException when the table does not exist. */
  async schemaOf(table: string): Promise<KeySchemaElement[]> {
    return (await this.describe(table)).KeySchema;
  }

  forgetTable(table: string): void {
    this.tables.delete(table);
  }

  /** Consistent read of one item, or undefined. Throws ValidationException for a key that does not fit. */
  async getImage(table: string, key: Item): Promise<Item | undefined> {
    return (await this.getStored(table, key))?.item as Item | undefined;
  }

  /** getImage() with the item's stored bytes, for callers that put the image into a stream record. */
  async getStored(table: string, key: Item): Promise<StoredItem | undefined> {
    const desc = await this.describe(table);
    if (keyFits(key, desc)) return this.engine.readItem(desc, key);
    // dynalite's GetItem then answers with DynamoDB's validation message.
    const res = await this.engine.call("GetItem", { TableName: table, Key: key, ConsistentRead: true });
    const item = res.Item as Item | undefined;
    return item && { item, raw: Buffer.from(JSON.stringify(item), "utf8") };
  }

  /** Consistent reads of many items of one table, keyed by keyId(). */
  async getImages(table: string, keys: Item[], schema: KeySchemaElement[]): Promise<Map<string, Item>> {
    const out = new Map<string, Item>();
    const items = await Promise.all(keys.map((key) => this.getImage(table, key)));
    for (const item of items) if (item) out.set(keyId(table, item, schema), item);
    return out;
  }
}

/** True when `key` has exactly the table's key attributes, each of the declared scalar type. */
function keyFits(key: Item, desc: TableDescription): boolean {
  if (Object.keys(key).length !== desc.KeySchema.length) return false;
  return desc.KeySchema.every((k) => {
    const type = desc.AttributeDefinitions.find((d) => d.AttributeName === k.AttributeName)?.AttributeType;
    const value = key[k.AttributeName];
    return (
      type !== undefined &&
      value !== undefined &&
      Object.keys(value).length === 1 &&
      typeof value[type] === "string"
    );
  });
}
