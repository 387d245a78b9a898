import { describe, expect, it } from "vitest";

import { DynaliteEngine } from "@/dev/dynamodb/engine";
import { recordBytes, STREAM_RETENTION_MS, StreamLog, type StreamRecord } from "@/dev/dynamodb/stream-log";

const KEYS = [{ AttributeName: "pk", KeyType: "HASH" as const }];
const key = (pk: string) => ({ pk: { S: pk } });

async function openLog() {
  const engine = new DynaliteEngine({});
  let now = Date.UTC(2026, 0, 1);
  const log = await StreamLog.open(engine.db, { region: "local", sizeOf: () => 10, now: () => now });
  return { engine, log, advance: (ms: number) => (now += ms) };
}

describe("StreamLog", () => {
  it("numbers records with zero-padded, strictly increasing sequence numbers", async () => {
    const { log, engine } = await openLog();
    const meta = await log.enable("t", "arn:aws:dynamodb:local:0:table/t", "NEW_AND_OLD_IMAGES", KEYS);
    for (let i = 0; i < 12; i++) {
      await log.append([
        { table: "t", keys: key(`k${i}`), newImage: { ...key(`k${i}`), n: { N: String(i) } } },
      ]);
    }
    const records = await log.readAfter(meta, 0n, 100);
    const seqs = records.map((r) => r.dynamodb.SequenceNumber);
    expect(seqs).toEqual([...seqs].sort());
    expect(new Set(seqs.map((s) => s.length)).size).toBe(1);
    expect(seqs.map(BigInt)).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i + 1)));
    await engine.close();
  });

  it("skips changes that leave the item as it was, and tables without a stream", async () => {
    const { log, engine } = await openLog();
    const meta = await log.enable("t", "arn:t", "KEYS_ONLY", KEYS);
    const image = { ...key("a"), v: { SS: ["x", "y"] } };
    const written = await log.append([
      { table: "t", keys: key("a"), oldImage: image, newImage: { ...key("a"), v: { SS: ["y", "x"] } } },
      { table: "t", keys: key("b") },
      { table: "other", keys: key("c"), newImage: key("c") },
    ]);
    expect(written).toBe(0);
    expect(await log.readAfter(meta, 0n, 10)).toEqual([]);
    await engine.close();
  });

  it("trims records older than 24 hours and forgets streams closed that long ago", async () => {
    const { log, engine, advance } = await openLog();
    const meta = await log.enable("t", "arn:t", "NEW_IMAGE", KEYS);
    await log.append([{ table: "t", keys: key("old"), newImage: key("old") }]);
    advance(STREAM_RETENTION_MS - 60_000);
    await log.append([{ table: "t", keys: key("young"), newImage: key("young") }]);
    advance(120_000);
    expect(await log.trim()).toBe(1);
    expect((await log.readAfter(meta, 0n, 10)).map((r) => r.dynamodb.Keys.pk)).toEqual([{ S: "young" }]);

    await log.disable("t");
    advance(STREAM_RETENTION_MS + 1);
    await log.trim();
    expect(log.byArn(meta.arn)).toBeUndefined();
    await engine.close();
  });
});

describe("recordBytes", () => {
  const image = (v: string) => ({
    ...key("k"),
    rows: { B: Buffer.from(v).toString("base64") },
    s: { S: 'q"\n' },
  });
  const record = (dynamodb: Partial<StreamRecord["dynamodb"]>, extra: object = {}): StreamRecord => ({
    eventID: "e1",
    eventName: "MODIFY",
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "local",
    dynamodb: {
      ApproximateCreationDateTime: 1,
      Keys: key("k"),
      ...dynamodb,
      SequenceNumber: "000000000000000000001",
      SizeBytes: 10,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    ...extra,
  });
  const bytesOf = (item: object) => Buffer.from(JSON.stringify(item));

  it("writes JSON.stringify(record), copying the images from their stored bytes", () => {
    const [n, o] = [image("new"), image("old")];
    const samples: [StreamRecord, Buffer?, Buffer?][] = [
      [record({ NewImage: n, OldImage: o }), bytesOf(n), bytesOf(o)],
      [record({ NewImage: n, OldImage: o }), bytesOf(n), undefined],
      [record({ NewImage: n, OldImage: o }), undefined, bytesOf(o)],
      [record({ NewImage: n, OldImage: o })],
      [
        record({ OldImage: o }, { userIdentity: { Type: "Service", PrincipalId: "x" } }),
        undefined,
        bytesOf(o),
      ],
      [record({}), bytesOf(n), bytesOf(o)],
    ];
    for (const [r, newRaw, oldRaw] of samples) {
      expect(recordBytes(r, newRaw, oldRaw).toString("utf8")).toBe(JSON.stringify(r));
    }
  });
});
