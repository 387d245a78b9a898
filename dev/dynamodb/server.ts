import { mkdir } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { crc32 } from "node:zlib";

import { StandInContext } from "@/dev/dynamodb/context";
import { DynaliteEngine, type TableDescription } from "@/dev/dynamodb/engine";
import { DynamoError, validationError, type JsonObject } from "@/dev/dynamodb/errors";
import { FaultSwitch, parseFaultConfig, type FaultConfig } from "@/dev/dynamodb/faults";
import type { Item } from "@/dev/dynamodb/items";
import { RwLock } from "@/dev/dynamodb/rw-lock";
import { STREAM_VIEW_TYPES, StreamLog, type StreamViewType } from "@/dev/dynamodb/stream-log";
import { handleStreamsCall } from "@/dev/dynamodb/streams-api";
import { TokenCache } from "@/dev/dynamodb/token-cache";
import { transactGetItems, transactWriteItems } from "@/dev/dynamodb/transactions";
import { describeTimeToLive, TtlSweeper, updateTimeToLive } from "@/dev/dynamodb/ttl";
import { batchWrite, singleWrite } from "@/dev/dynamodb/writes";
import { listen } from "@/dev/ports";

export interface DynamoStandInOptions {
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Undefined = in memory; else table data, the stream log and TTL settings persist in this directory. */
  dataDir?: string;
  faults?: FaultConfig;
  /** How often expired TTL items are removed (and, at most once a minute, old stream records). Default 1000. */
  ttlSweepMs?: number;
  /** Items the TTL sweeper scans per table per tick. Default 1000. */
  ttlPageSize?: number;
  /** How long dynalite takes over a table change; the answer waits for it. Default 0; for tests. */
  tableChangeMs?: number;
}

export interface DynamoStandIn {
  endpoint: string;
  port: number;
  setFaults(f: FaultConfig): void;
  /** Runs one TTL pass now; resolves the number of items expired. For tests. */
  sweepTtl(): Promise<number>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const DYNAMO_PREFIX = "DynamoDB_20120810";
const STREAMS_PREFIX = "DynamoDBStreams_20120810";
const TRIM_EVERY_MS = 60_000;

/** Operations subject to injected throttling: the data plane, not table management. */
const DATA_PLANE = new Set([
  "GetItem",
  "BatchGetItem",
  "Query",
  "Scan",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
  "TransactGetItems",
]);
const SHARED_READS = new Set([
  "GetItem",
  "BatchGetItem",
  "Query",
  "Scan",
  "ListTables",
  "ListTagsOfResource",
]);

class FrontServer {
  private readonly lock = new RwLock();
  private readonly sweeper: TtlSweeper;

  constructor(
    private readonly ctx: StandInContext,
    ttlPageSize: number,
  ) {
    this.sweeper = new TtlSweeper(ctx, this.lock, ttlPageSize);
  }

  /** Resolves once every request that entered the lock queue so far has finished. */
  drain(): Promise<void> {
    return this.lock.write(() => undefined);
  }

  sweepTtl(): Promise<number> {
    return this.sweeper.sweep();
  }

  trimStreams(): Promise<number> {
    return this.lock.write(() => this.ctx.log.trim());
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === undefined) return send(res, 413, "text/plain", "");
    if (req.url?.startsWith("/__admin/faults")) return this.admin(req, res, raw);
    if (req.method === "GET") return send(res, 200, "text/plain", "healthy: dynamodb.local ");

    const target = String(req.headers["x-amz-target"] ?? "");
    const dot = target.indexOf(".");
    const prefix = target.slice(0, dot);
    const op = target.slice(dot + 1);
    const contentType = prefix === STREAMS_PREFIX ? "application/x-amz-json-1.0" : responseType(req);
    try {
      let body: JsonObject;
      try {
        body = raw.length ? (JSON.parse(raw.toString("utf8")) as JsonObject) : {};
      } catch {
        throw new DynamoError("com.amazon.coral.service#SerializationException", "Malformed JSON body");
      }
      if (body === null || typeof body !== "object" || Array.isArray(body)) {
        throw new DynamoError("com.amazon.coral.service#SerializationException", "Expected a JSON object");
      }
      let result: JsonObject;
      if (prefix === STREAMS_PREFIX) result = await handleStreamsCall(this.ctx, op, body);
      else if (prefix === DYNAMO_PREFIX) result = await this.dynamo(op, body);
      else throw new DynamoError("com.amazon.coral.service#UnknownOperationException", "");
      sendJson(res, 200, contentType, result);
    } catch (err) {
      if (err instanceof DynamoError) return sendJson(res, err.status, contentType, err.toBody());
      console.error("[dynamodb stand-in] internal error in", target, err);
      sendJson(res, 500, contentType, {
        __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
        message: "Internal server error",
      });
    }
  }

  private async dynamo(op: string, body: JsonObject): Promise<JsonObject> {
    const { ctx, lock } = this;
    if (DATA_PLANE.has(op)) {
      const throttled = ctx.faults.throttle();
      if (throttled) throw throttled;
    }
    switch (op) {
      case "PutItem":
      case "UpdateItem":
      case "DeleteItem":
        return lock.write(() => singleWrite(ctx, op, body));
      case "BatchWriteItem":
        return lock.write(() => batchWrite(ctx, body));
      case "TransactWriteItems":
        return lock.write(() => transactWriteItems(ctx, body));
      case "TransactGetItems":
        return lock.read(() => transactGetItems(ctx, body));
      case "CreateTable":
        return lock.write(() => this.createTable(body));
      case "UpdateTable":
        return lock.write(() => this.updateTable(body));
      case "DeleteTable":
        return lock.write(() => this.deleteTable(body));
      case "DescribeTable":
        return lock.read(async () => this.withStream(await ctx.engine.call("DescribeTable", body), "Table"));
      case "UpdateTimeToLive":
        return lock.write(() => updateTimeToLive(ctx, body));
      case "DescribeTimeToLive":
        return lock.read(() => describeTimeToLive(ctx, body));
      case "TagResource":
      case "UntagResource":
        return lock.write(() => ctx.engine.call(op, body));
      default:
        if (SHARED_READS.has(op)) {
          return lock.read(() => ctx.engine.call(op as "GetItem", body));
        }
        throw new DynamoError(
          "com.amazon.coral.service#UnknownOperationException",
          `Unsupported operation ${op}`,
        );
    }
  }

  /** Adds what DynamoDB reports about the table's stream, which dynalite does not know. */
  private withStream(result: JsonObject, member: "Table" | "TableDescription"): JsonObject {
    const desc = result[member] as TableDescription | undefined;
    if (!desc) return result;
    const active = this.ctx.log.active(desc.TableName);
    const latest =
      active ??
      this.ctx.log
        .list()
        .filter((s) => s.tableName === desc.TableName)
        .at(-1);
    return {
      ...result,
      [member]: {
        ...desc,
        ...(active ? { StreamSpecification: { StreamEnabled: true, StreamViewType: active.viewType } } : {}),
        ...(latest ? { LatestStreamArn: latest.arn, LatestStreamLabel: latest.label } : {}),
      },
    };
  }

  private async createTable(body: JsonObject): Promise<JsonObject> {
    const { StreamSpecification, ...rest } = body;
    const viewType = streamViewType(StreamSpecification);
    this.ctx.forgetTable(String(body.TableName));
    const result = await this.ctx.engine.call("CreateTable", rest);
    const desc = result.TableDescription as TableDescription;
    await this.settle(desc.TableName, (t) => t?.TableStatus === "ACTIVE");
    if (viewType) await this.ctx.log.enable(desc.TableName, desc.TableArn, viewType, desc.KeySchema);
    return this.withStream(result, "TableDescription");
  }

  private async updateTable(body: JsonObject): Promise<JsonObject> {
    const { StreamSpecification, ...rest } = body;
    const table = String(body.TableName);
    const viewType = streamViewType(StreamSpecification);
    const active = this.ctx.log.active(table);
    if (StreamSpecification !== undefined) {
      if (viewType && active)
        throw validationError(`Table already has an enabled stream: TableName: ${table}`);
      if (!viewType && !active)
        throw validationError(`Table does not have an enabled stream: TableName: ${table}`);
    }
    const onlyStream = Object.keys(rest).every((k) => k === "TableName");
    const result = onlyStream
      ? { TableDescription: (await this.ctx.engine.call("DescribeTable", { TableName: table })).Table }
      : await this.ctx.engine.call("UpdateTable", rest);
    const desc = result.TableDescription as TableDescription;
    await this.settle(table, (t) => t?.TableStatus === "ACTIVE");
    // Writes maintain indexes from the remembered description; let it follow whatever the update changed.
    this.ctx.forgetTable(table);
    if (StreamSpecification !== undefined) {
      if (viewType) await this.ctx.log.enable(table, desc.TableArn, viewType, desc.KeySchema);
      else await this.ctx.log.disable(table);
    }
    return this.withStream(result, "TableDescription");
  }

  private async deleteTable(body: JsonObject): Promise<JsonObject> {
    const table = String(body.TableName);
    const result = this.withStream(await this.ctx.engine.call("DeleteTable", body), "TableDescription");
    await this.settle(table, (t) => t === undefined);
    await this.ctx.log.disable(table);
    await this.ctx.log.setTtl(table, undefined);
    this.ctx.forgetTable(table);
    return result;
  }

  /**
   * Waits (under the write lock) until dynalite finishes a table change, which it does on a zero-delay timer. The
   * answer still says CREATING/UPDATING/DELETING as DynamoDB's does, but the next request finds the change done,
   * so dev code and tests need no waiter.
   */
  private async settle(table: string, done: (t: TableDescription | undefined) => boolean): Promise<void> {
    for (let i = 0; i < 1000 && !done(await this.ctx.engine.getTable(table)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private admin(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    if (req.method === "POST") {
      try {
        this.ctx.faults.set(parseFaultConfig(JSON.parse(raw.toString("utf8") || "{}")));
      } catch (err) {
        return sendJson(res, 400, "application/json", { error: (err as Error).message });
      }
    } else if (req.method !== "GET") {
      return sendJson(res, 405, "application/json", { error: "Use GET or POST." });
    }
    sendJson(res, 200, "application/json", this.ctx.faults.get());
  }
}

/** Validates a StreamSpecification; its view type when it enables a stream, else undefined. */
function streamViewType(spec: unknown): StreamViewType | undefined {
  if (spec === undefined) return undefined;
  const s = spec as { StreamEnabled?: unknown; StreamViewType?: unknown };
  if (typeof s.StreamEnabled !== "boolean") {
    throw validationError(
      "1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!s.StreamEnabled) return undefined;
  if (!STREAM_VIEW_TYPES.includes(s.StreamViewType as StreamViewType)) {
    throw validationError("StreamSpecification: StreamViewType must be provided when StreamEnabled is true");
  }
  return s.StreamViewType as StreamViewType;
}

function responseType(req: IncomingMessage): string {
  const type = String(req.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim();
  return type === "application/json" ? type : "application/x-amz-json-1.0";
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) resolve(undefined);
      // Most request bodies arrive in one chunk, which needs no copy.
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  const buf = Buffer.from(body, "utf8");
  // The flat-array form spares Node building and re-reading a header object per answer.
  res.writeHead(status, [
    "Content-Type",
    type,
    "Content-Length",
    String(buf.length),
    "x-amz-crc32",
    String(crc32(buf)),
    "x-amzn-RequestId",
    requestId(),
  ]);
  res.end(buf);
}

function sendJson(res: ServerResponse, status: number, type: string, body: unknown): void {
  send(res, status, type, JSON.stringify(body));
}

let requestCounter = 0;
function requestId(): string {
  requestCounter = (requestCounter + 1) % 1e9;
  return `LOCAL${Date.now().toString(36).toUpperCase()}${requestCounter.toString().padStart(9, "0")}`;
}

/**
 * Starts the DynamoDB stand-in: dynalite in-process behind a front server that adds transactions, Streams, TTL,
 * ReturnValuesOnConditionCheckFailure and fault injection on one loopback port.
 * Throws PortInUseError when a fixed port is taken, and an Error when another process holds `dataDir`.
 */
export async function startDynamoStandIn(opts: DynamoStandInOptions = {}): Promise<DynamoStandIn> {
  const host = opts.host ?? "127.0.0.1";
  let path: string | undefined;
  if (opts.dataDir) {
    path = join(opts.dataDir, "dynamodb");
    await mkdir(path, { recursive: true });
  }
  const engine = new DynaliteEngine({ path, tableChangeMs: opts.tableChangeMs });
  try {
    await (engine.db as unknown as { open(): Promise<void> }).open();
  } catch (err) {
    throw new Error(
      `Cannot open the DynamoDB data in ${path}: is another \`npm run dev\` or stand-in using it? Stop it or use another dataDir.`,
      { cause: err },
    );
  }
  const log = await StreamLog.open(engine.db, {
    region: engine.region,
    sizeOf: (item: Item) => engine.itemSize(item),
  });
  const ctx = new StandInContext(engine, log, new FaultSwitch(opts.faults), new TokenCache());
  const front = new FrontServer(ctx, opts.ttlPageSize ?? 1000);

  const server = createServer((req, res) => {
    front.handle(req, res).catch((err) => {
      console.error("[dynamodb stand-in] request failed", err);
      if (!res.headersSent) send(res, 500, "text/plain", "");
      else res.destroy();
    });
  });
  // SDK clients keep connections alive; keep them open longer than the SDK's idle timeout to avoid resets.
  server.keepAliveTimeout = 65_000;
  let port: number;
  try {
    port = await listen(server, host, opts.port ?? 0, "DynamoDB", "DYNAMODB_PORT");
  } catch (err) {
    await engine.close();
    throw err;
  }

  let ticking: Promise<unknown> | undefined;
  let lastTrim = Date.now();
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = (async () => {
      await front.sweepTtl();
      if (Date.now() - lastTrim >= TRIM_EVERY_MS) {
        lastTrim = Date.now();
        await front.trimStreams();
      }
    })()
      .catch((err) => console.error("[dynamodb stand-in] TTL sweep failed", err))
      .finally(() => {
        ticking = undefined;
      });
  }, opts.ttlSweepMs ?? 1000);
  timer.unref();

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    setFaults: (f) => ctx.faults.set(f),
    sweepTtl: () => front.sweepTtl(),
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await ticking;
        // Requests already queued on the lock still run; dynalite must stay open until they are done.
        await front.drain();
        await engine.close();
      })();
      return closing;
    },
  };
}
