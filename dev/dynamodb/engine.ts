import { createRequire } from "node:module";

import { compileTypes, SLOW, type Descriptors } from "@/dev/dynamodb/check-types";
import { DynamoError, fromDynaliteError, type JsonObject } from "@/dev/dynamodb/errors";

const require = createRequire(import.meta.url);

/** dynalite's internal store (db/index.js `create`); only the members the stand-in touches. */
interface DynaliteStore {
  options: { maxItemSize: number };
  db: LevelDb;
  tableDb: { awsAccountId: string; awsRegion: string };
  getTable(name: string, checkStatus: boolean, cb: (err: unknown, table?: TableDescription) => void): void;
  lifecycleManager?: { gracefulClose(cb: (err?: unknown) => void): void };
}

/**
 * One write of a batch. `valueEncoding: "buffer"` (abstract-level's per-operation option) stores a value that
 * already is the bytes of its JSON, bypassing the database's JSON encoding.
 */
export interface LevelOp {
  type: "put" | "del";
  key: string;
  value?: unknown;
  valueEncoding?: "buffer";
}

/** The abstract-level database dynalite keeps everything in; the stand-in stores its own keys beside them. */
export interface LevelDb {
  get(key: string): Promise<unknown>;
  /** abstract-level's synchronous read, which dynalite does not wrap, so it takes options. */
  getSync(key: string, opts: { valueEncoding: "buffer" }): Buffer | undefined;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  batch(ops: LevelOp[]): Promise<void>;
  iterator(opts: {
    gt?: string;
    gte?: string;
    lt?: string;
    lte?: string;
    limit?: number;
    reverse?: boolean;
  }): { all(): Promise<[string, unknown][]> };
}

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: "HASH" | "RANGE";
}

export interface TableDescription {
  TableName: string;
  TableArn: string;
  TableStatus: string;
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  [k: string]: unknown;
}

interface ActionValidation {
  types: unknown;
  custom?: unknown;
}

type Action = (store: DynaliteStore, data: JsonObject, cb: (err: unknown, res?: JsonObject) => void) => void;

const validations = require("dynalite/validations/index.js") as {
  checkTypes(data: unknown, types: unknown): JsonObject;
  checkValidations(data: JsonObject, types: unknown, custom: unknown, store: DynaliteStore): void;
};
const dynaliteDb = require("dynalite/db/index.js") as {
  create(opts: {
    createTableMs: number;
    deleteTableMs: number;
    updateTableMs: number;
    path?: string;
  }): DynaliteStore;
  checkConditional(data: JsonObject, existing: JsonObject | undefined): unknown;
  createKey(item: JsonObject, table: TableDescription): string;
  itemSize(item: JsonObject): number;
  validateItem(item: JsonObject, table: TableDescription): unknown;
  getIndexActions(
    indexes: SecondaryIndex[],
    existing: JsonObject | undefined,
    item: JsonObject | undefined,
    table: TableDescription,
  ): { puts: { index: string; key: string; item: JsonObject }[]; deletes: { index: string; key: string }[] };
  addConsumedCapacity(data: JsonObject, isRead: boolean, a: unknown, b: unknown): unknown;
};

interface SecondaryIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
}

/** An item with the bytes of JSON it is stored as, which go into stream records without serialising again. */
export interface StoredItem {
  item: JsonObject;
  raw: Buffer;
}

/** Operations dynalite implements itself; each has actions/<op>.js and validations/<op>.js. */
export const DYNALITE_OPERATIONS = [
  "BatchGetItem",
  "BatchWriteItem",
  "CreateTable",
  "DeleteItem",
  "DeleteTable",
  "DescribeTable",
  "GetItem",
  "ListTables",
  "PutItem",
  "Query",
  "Scan",
  "TagResource",
  "UntagResource",
  "ListTagsOfResource",
  "UpdateItem",
  "UpdateTable",
] as const;
export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number];

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

const modules = new Map<
  string,
  { action: Action; validation: ActionValidation; checkTypes: (data: JsonObject) => unknown }
>(
  DYNALITE_OPERATIONS.map((op) => {
    const validation = require(`dynalite/validations/${lowerFirst(op)}.js`) as ActionValidation;
    return [
      op,
      {
        action: require(`dynalite/actions/${lowerFirst(op)}.js`) as Action,
        validation,
        checkTypes: compileTypes(validation.types as Descriptors),
      },
    ];
  }),
);

// dynalite 4.0.0 keeps items under "item-<table>~<key string>" and index entries under
// "index-<global|local>~<table>~<index>~<key string>", all in its one LevelDB.
const itemKey = (table: TableDescription, key: string) => `item-${table.TableName}~${key}`;
const indexKey = (kind: "Local" | "Global", table: TableDescription, index: string, key: string) =>
  `index-${kind.toLowerCase()}~${table.TableName}~${index}~${key}`;

/** A request body after dynalite's validation: numbers normalised, unknown members dropped, expressions parsed. */
export type Validated = JsonObject & { readonly __validated: true };

/**
 * dynalite driven in-process: its own validation and actions without its HTTP layer, so the front server pays
 * no loopback hop. Everything dynalite does not know is the front server's job.
 */
export class DynaliteEngine {
  readonly store: DynaliteStore;

  /** `tableChangeMs`: how long dynalite keeps tables CREATING/UPDATING/DELETING (default 0; tests raise it). */
  constructor(opts: { path?: string; tableChangeMs?: number }) {
    const ms = opts.tableChangeMs ?? 0;
    this.store = dynaliteDb.create({
      createTableMs: ms,
      deleteTableMs: ms,
      updateTableMs: ms,
      path: opts.path,
    });
  }

  get db(): LevelDb {
    return this.store.db;
  }

  get region(): string {
    return this.store.tableDb.awsRegion;
  }

  get maxItemSize(): number {
    return this.store.options.maxItemSize;
  }

  /** Runs dynalite's type checks and validations; throws DynamoError (ValidationException and friends). */
  validate(op: DynaliteOperation, body: unknown): Validated {
    const mod = modules.get(op);
    if (!mod) throw new DynamoError("com.amazon.coral.service#UnknownOperationException", "");
    try {
      // checkTypes rebuilds the object; only members it drops are deleted from the caller's body. The compiled
      // version handles what dynalite would accept as is; dynalite's own walk answers (and words) the rest.
      const input = (body ?? {}) as JsonObject;
      const fast = mod.checkTypes(input);
      const data = fast === SLOW ? validations.checkTypes(input, mod.validation.types) : (fast as JsonObject);
      validations.checkValidations(data, mod.validation.types, mod.validation.custom, this.store);
      return data as Validated;
    } catch (err) {
      throw fromDynaliteError(err);
    }
  }

  /** Executes an already validated request; rejects with DynamoError for DynamoDB-level failures. */
  exec(op: DynaliteOperation, data: Validated): Promise<JsonObject> {
    const mod = modules.get(op);
    if (!mod)
      return Promise.reject(new DynamoError("com.amazon.coral.service#UnknownOperationException", ""));
    return new Promise((resolve, reject) => {
      try {
        mod.action(this.store, data, (err, res) => {
          if (err) reject(fromDynaliteError(err));
          else resolve(res ?? {});
        });
      } catch (err) {
        reject(fromDynaliteError(err));
      }
    });
  }

  call(op: DynaliteOperation, body: unknown): Promise<JsonObject> {
    try {
      return this.exec(op, this.validate(op, body));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The table's description, or undefined when it does not exist (or is still being created). */
  getTable(name: string): Promise<TableDescription | undefined> {
    return new Promise((resolve, reject) => {
      this.store.getTable(name, false, (err, table) => {
        if (!err) return resolve(table);
        if ((err as { name?: string }).name === "NotFoundError") return resolve(undefined);
        reject(fromDynaliteError(err));
      });
    });
  }

  /**
   * Reads an item straight from dynalite's store, skipping its request pipeline (and the event-loop turns that
   * costs inside the write lock). `key` must already match the table's key schema and types.
   */
  readItem(table: TableDescription, key: JsonObject): StoredItem | undefined {
    const raw = this.readRaw(table, key);
    return raw && { item: JSON.parse(raw.toString("utf8")) as JsonObject, raw };
  }

  /** The bytes an item is stored as (its JSON), or undefined; readItem() without the parse. */
  readRaw(table: TableDescription, key: JsonObject): Buffer | undefined {
    return this.store.db.getSync(itemKey(table, dynaliteDb.createKey(key, table)), {
      valueEncoding: "buffer",
    });
  }

  /**
   * dynalite's PutItem for a caller that already read `existing` under the write lock: the same validation,
   * condition, index maintenance and answer, without dynalite reading the table and the item again. The item
   * is serialised once for the table and every index projecting all of it. Rejects with DynamoError.
   */
  async putItem(
    table: TableDescription,
    data: Validated,
    existing: JsonObject | undefined,
  ): Promise<{ result: JsonObject; raw: Buffer }> {
    const item = data.Item as JsonObject;
    const failed = dynaliteDb.validateItem(item, table) ?? dynaliteDb.checkConditional(data, existing);
    if (failed) throw fromDynaliteError(failed);
    const raw = Buffer.from(JSON.stringify(item), "utf8");
    const ops: LevelOp[] = [];
    for (const kind of ["Local", "Global"] as const) {
      const indexes = (table[`${kind}SecondaryIndexes`] ?? []) as SecondaryIndex[];
      const { puts, deletes } = dynaliteDb.getIndexActions(indexes, existing, item, table);
      for (const d of deletes) ops.push({ type: "del", key: indexKey(kind, table, d.index, d.key) });
      for (const p of puts) {
        const key = indexKey(kind, table, p.index, p.key);
        ops.push(
          p.item === item
            ? { type: "put", key, value: raw, valueEncoding: "buffer" }
            : { type: "put", key, value: p.item },
        );
      }
    }
    ops.push({
      type: "put",
      key: itemKey(table, dynaliteDb.createKey(item, table)),
      value: raw,
      valueEncoding: "buffer",
    });
    await this.store.db.batch(ops);
    const result: JsonObject = {};
    if (existing && data.ReturnValues === "ALL_OLD") result.Attributes = existing;
    // dynalite's own argument order; the answer only takes the larger of the two sizes.
    const capacity = dynaliteDb.addConsumedCapacity(data, false, existing, item);
    if (capacity !== undefined) result.ConsumedCapacity = capacity;
    return { result, raw };
  }

  /** dynalite's condition check against an item image; true when the request's condition holds. */
  conditionHolds(data: Validated, existing: JsonObject | undefined): boolean {
    return dynaliteDb.checkConditional(data, existing) == null;
  }

  itemSize(item: JsonObject): number {
    return dynaliteDb.itemSize(item);
  }

  close(): Promise<void> {
    const lm = this.store.lifecycleManager;
    if (!lm) return Promise.resolve();
    return new Promise((resolve, reject) => lm.gracefulClose((err) => (err ? reject(err) : resolve())));
  }
}
