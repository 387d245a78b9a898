import { createRequire } from "node:module";

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

/** The abstract-level database dynalite keeps everything in; the stand-in stores its own keys beside them. */
export interface LevelDb {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  batch(ops: { type: "put" | "del"; key: string; value?: unknown }[]): Promise<void>;
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
};

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

const modules = new Map<string, { action: Action; validation: ActionValidation }>(
  DYNALITE_OPERATIONS.map((op) => [
    op,
    {
      action: require(`dynalite/actions/${lowerFirst(op)}.js`) as Action,
      validation: require(`dynalite/validations/${lowerFirst(op)}.js`) as ActionValidation,
    },
  ]),
);

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
      // checkTypes rebuilds the object, so the caller's body is never mutated.
      const data = validations.checkTypes(body ?? {}, mod.validation.types);
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
  async readItem(table: TableDescription, key: JsonObject): Promise<JsonObject | undefined> {
    // dynalite 4.0.0 keeps items under "item-<table>~<key string>" in its one LevelDB.
    const value = await this.store.db.get(`item-${table.TableName}~${dynaliteDb.createKey(key, table)}`);
    return (value ?? undefined) as JsonObject | undefined;
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
