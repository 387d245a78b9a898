import { randomUUID } from "node:crypto";

import type { KeySchemaElement, LevelDb, LevelOp } from "@/dev/dynamodb/engine";
import { itemsEqual, type Item } from "@/dev/dynamodb/items";

export type StreamViewType = "KEYS_ONLY" | "NEW_IMAGE" | "OLD_IMAGE" | "NEW_AND_OLD_IMAGES";
export const STREAM_VIEW_TYPES: readonly StreamViewType[] = [
  "KEYS_ONLY",
  "NEW_IMAGE",
  "OLD_IMAGE",
  "NEW_AND_OLD_IMAGES",
];

/** Streams keep records for 24 hours, like DynamoDB Streams. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;
const SEQ_DIGITS = 21;

export interface StreamMeta {
  tableName: string;
  arn: string;
  label: string;
  viewType: StreamViewType;
  keySchema: KeySchemaElement[];
  createdAt: number;
  /** First sequence number the shard can hold. */
  startSeq: string;
  /** Set when the stream was disabled or its table deleted: the shard is closed at this number. */
  endSeq?: string;
  closedAt?: number;
}

export interface TtlSetting {
  attributeName: string;
  enabled: boolean;
}

interface MetaDoc {
  streams: StreamMeta[];
  ttl: Record<string, TtlSetting>;
  seq: string;
}

/** One item-level change, before deciding whether (and how) a stream shows it. */
export interface Change {
  table: string;
  keys: Item;
  oldImage?: Item;
  newImage?: Item;
  /** The images' bytes as stored, when the caller has them: copied into the record instead of serialising. */
  oldRaw?: Buffer;
  newRaw?: Buffer;
  /** Set for changes DynamoDB makes itself (TTL expiry). */
  userIdentity?: { Type: string; PrincipalId: string };
}

export interface StreamRecord {
  eventID: string;
  eventName: "INSERT" | "MODIFY" | "REMOVE";
  eventVersion: string;
  eventSource: "aws:dynamodb";
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: StreamViewType;
  };
  userIdentity?: { Type: string; PrincipalId: string };
}

const META_KEY = "~rally~meta";
const RECORD_PREFIX = "~rally~s~";

/**
 * The bytes of JSON.stringify(record), with the images copied from the given bytes when there are any: a stream
 * record holds two whole items, and serialising them again would be most of the cost of a streamed write.
 */
export function recordBytes(record: StreamRecord, newRaw?: Buffer, oldRaw?: Buffer): Buffer {
  const out: Spliced = { parts: [], text: "" };
  let sep = "{";
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined) continue;
    out.text += `${sep}${JSON.stringify(k)}:`;
    sep = ",";
    if (k === "dynamodb") writeChange(out, v as StreamRecord["dynamodb"], newRaw, oldRaw);
    else out.text += JSON.stringify(v);
  }
  out.parts.push(Buffer.from(`${out.text}}`, "utf8"));
  return Buffer.concat(out.parts);
}

/** JSON under construction: finished pieces, and text not yet turned into bytes. */
interface Spliced {
  parts: Buffer[];
  text: string;
}

function writeChange(out: Spliced, change: StreamRecord["dynamodb"], newRaw?: Buffer, oldRaw?: Buffer): void {
  let sep = "{";
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) continue;
    out.text += `${sep}${JSON.stringify(k)}:`;
    sep = ",";
    const raw = k === "NewImage" ? newRaw : k === "OldImage" ? oldRaw : undefined;
    if (raw) {
      out.parts.push(Buffer.from(out.text, "utf8"), raw);
      out.text = "";
    } else {
      out.text += JSON.stringify(v);
    }
  }
  out.text += sep === "{" ? "{}" : "}";
}

export const padSeq = (n: bigint): string => n.toString().padStart(SEQ_DIGITS, "0");

/**
 * The stream log and the table settings dynalite drops (stream specification, TTL), kept in dynalite's own
 * LevelDB under keys dynalite never reads, so they persist exactly when the table data does. Callers append
 * changes while holding the server's write lock, which is what makes sequence numbers follow commit order.
 */
export class StreamLog {
  private seq = 0n;

  private constructor(
    private readonly db: LevelDb,
    private readonly region: string,
    private readonly sizeOf: (item: Item) => number,
    private doc: MetaDoc,
    private readonly now: () => number,
  ) {}

  static async open(
    db: LevelDb,
    opts: { region: string; sizeOf: (item: Item) => number; now?: () => number },
  ): Promise<StreamLog> {
    const stored = (await db.get(META_KEY)) as MetaDoc | undefined;
    const doc: MetaDoc = stored ?? { streams: [], ttl: {}, seq: "0" };
    const log = new StreamLog(db, opts.region, opts.sizeOf, doc, opts.now ?? Date.now);
    log.seq = BigInt(doc.seq);
    for (const s of doc.streams) {
      const last = await db
        .iterator({ gt: log.prefix(s), lt: `${log.prefix(s)}\xff`, reverse: true, limit: 1 })
        .all();
      const lastKey = last[0]?.[0];
      if (lastKey) {
        const n = BigInt(lastKey.slice(-SEQ_DIGITS));
        if (n > log.seq) log.seq = n;
      }
    }
    return log;
  }

  /** The table's enabled stream, if any. */
  active(table: string): StreamMeta | undefined {
    return this.doc.streams.find((s) => s.tableName === table && s.endSeq === undefined);
  }

  /** Every stream still retained (enabled, or closed less than 24 h ago), oldest first. */
  list(): StreamMeta[] {
    return [...this.doc.streams];
  }

  byArn(arn: string): StreamMeta | undefined {
    return this.doc.streams.find((s) => s.arn === arn);
  }

  async enable(
    table: string,
    tableArn: string,
    viewType: StreamViewType,
    keySchema: KeySchemaElement[],
  ): Promise<StreamMeta> {
    const now = this.now();
    let label = new Date(now).toISOString().slice(0, -1);
    // Two streams of one table within a millisecond would share a label and an ARN.
    while (this.doc.streams.some((s) => s.tableName === table && s.label === label)) label += "0";
    const meta: StreamMeta = {
      tableName: table,
      arn: `${tableArn}/stream/${label}`,
      label,
      viewType,
      keySchema,
      createdAt: now,
      startSeq: padSeq(this.seq + 1n),
    };
    this.doc.streams.push(meta);
    await this.save();
    return meta;
  }

  /** Closes the table's enabled stream (stream disabled or table deleted); its records stay readable 24 h. */
  async disable(table: string): Promise<void> {
    const meta = this.active(table);
    if (!meta) return;
    meta.endSeq = padSeq(this.seq);
    meta.closedAt = this.now();
    await this.save();
  }

  ttl(table: string): TtlSetting | undefined {
    return this.doc.ttl[table];
  }

  ttlTables(): [string, TtlSetting][] {
    return Object.entries(this.doc.ttl);
  }

  async setTtl(table: string, setting: TtlSetting | undefined): Promise<void> {
    if (setting) this.doc.ttl[table] = setting;
    else delete this.doc.ttl[table];
    await this.save();
  }

  /** True when some change to `table` would be recorded, i.e. callers must capture images. */
  wants(table: string): boolean {
    return this.active(table) !== undefined;
  }

  /**
   * Appends one record per change that altered its item (identical puts and no-op updates give none), in order.
   * Must be called under the write lock that covered the writes.
   */
  async append(changes: Change[]): Promise<number> {
    const ops: LevelOp[] = [];
    const at = Math.floor(this.now() / 1000);
    for (const c of changes) {
      const meta = this.active(c.table);
      if (!meta || itemsEqual(c.oldImage, c.newImage)) continue;
      this.seq += 1n;
      const seq = padSeq(this.seq);
      const eventName = !c.oldImage ? "INSERT" : !c.newImage ? "REMOVE" : "MODIFY";
      const withNew = meta.viewType === "NEW_IMAGE" || meta.viewType === "NEW_AND_OLD_IMAGES";
      const withOld = meta.viewType === "OLD_IMAGE" || meta.viewType === "NEW_AND_OLD_IMAGES";
      const newImage = withNew ? c.newImage : undefined;
      const oldImage = withOld ? c.oldImage : undefined;
      const record: StreamRecord = {
        eventID: randomUUID().replaceAll("-", ""),
        eventName,
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: this.region,
        dynamodb: {
          ApproximateCreationDateTime: at,
          Keys: c.keys,
          ...(newImage ? { NewImage: newImage } : {}),
          ...(oldImage ? { OldImage: oldImage } : {}),
          SequenceNumber: seq,
          SizeBytes:
            this.sizeOf(c.keys) +
            (newImage ? this.sizeOf(newImage) : 0) +
            (oldImage ? this.sizeOf(oldImage) : 0),
          StreamViewType: meta.viewType,
        },
        ...(c.userIdentity ? { userIdentity: c.userIdentity } : {}),
      };
      const value = recordBytes(record, withNew ? c.newRaw : undefined, withOld ? c.oldRaw : undefined);
      ops.push({ type: "put", key: this.prefix(meta) + seq, value, valueEncoding: "buffer" });
    }
    if (ops.length > 0) await this.db.batch(ops);
    return ops.length;
  }

  /** Up to `limit` records of the stream with sequence numbers above `afterSeq`, oldest first. */
  async readAfter(meta: StreamMeta, afterSeq: bigint, limit: number): Promise<StreamRecord[]> {
    const prefix = this.prefix(meta);
    const rows = await this.db
      .iterator({ gt: prefix + padSeq(afterSeq < 0n ? 0n : afterSeq), lt: `${prefix}\xff`, limit })
      .all();
    return rows.map(([, v]) => v as StreamRecord);
  }

  /** Sequence number of the newest record written so far (any stream). */
  get lastSeq(): bigint {
    return this.seq;
  }

  /** The oldest retained sequence number of the stream, or undefined when it holds no records. */
  async firstSeq(meta: StreamMeta): Promise<string | undefined> {
    const prefix = this.prefix(meta);
    const first = await this.db.iterator({ gt: prefix, lt: `${prefix}\xff`, limit: 1 }).all();
    return first[0]?.[0].slice(-SEQ_DIGITS);
  }

  /** Drops records older than 24 h and streams closed more than 24 h ago; returns how many records went. */
  async trim(): Promise<number> {
    const cutoffMs = this.now() - STREAM_RETENTION_MS;
    const cutoffS = Math.floor(cutoffMs / 1000);
    let removed = 0;
    for (const meta of this.doc.streams) {
      const prefix = this.prefix(meta);
      for (;;) {
        const rows = await this.db.iterator({ gt: prefix, lt: `${prefix}\xff`, limit: 500 }).all();
        const old = rows.filter(
          ([, v]) => (v as StreamRecord).dynamodb.ApproximateCreationDateTime < cutoffS,
        );
        if (old.length > 0) await this.db.batch(old.map(([key]) => ({ type: "del" as const, key })));
        removed += old.length;
        if (old.length < rows.length || rows.length < 500) break;
      }
    }
    const before = this.doc.streams.length;
    this.doc.streams = this.doc.streams.filter((s) => s.closedAt === undefined || s.closedAt >= cutoffMs);
    if (removed > 0 || this.doc.streams.length !== before) await this.save();
    return removed;
  }

  private prefix(meta: StreamMeta): string {
    return `${RECORD_PREFIX}${meta.tableName}~${meta.label}~`;
  }

  private async save(): Promise<void> {
    this.doc.seq = this.seq.toString();
    await this.db.put(META_KEY, this.doc);
  }
}
