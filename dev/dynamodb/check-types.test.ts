import { createRequire } from "node:module";

import { describe, expect, it } from "vitest";

import { compileTypes, SLOW, type Descriptors } from "@/dev/dynamodb/check-types";
import { DYNALITE_OPERATIONS } from "@/dev/dynamodb/engine";

const require = createRequire(import.meta.url);
const { checkTypes } = require("dynalite/validations/index.js") as {
  checkTypes(data: unknown, types: unknown): unknown;
};
const typesOf = (op: string) =>
  (require(`dynalite/validations/${op.charAt(0).toLowerCase()}${op.slice(1)}.js`) as { types: Descriptors })
    .types;

const S = (s: string) => ({ S: s });
const blob = Buffer.from("binary rows ".repeat(40)).toString("base64");
const item = {
  PK: S("CAMPAIGN#c1"),
  SK: S("RCHUNK#u1"),
  rows: { B: blob },
  version: { N: "12" },
  ok: { BOOL: true },
  none: { NULL: true },
  tags: { SS: ["a", "b"] },
  nums: { NS: ["1", "2.5"] },
  bins: { BS: [blob, "QUJD"] },
  counts: { M: { sent: { N: "3" }, deep: { L: [S("x"), { M: { y: { B: "QUJD" } } }] } } },
};

/** Realistic request bodies per operation; the differential test mutates them. */
const BODIES: [string, unknown][] = [
  [
    "PutItem",
    {
      TableName: "t1x",
      Item: item,
      ConditionExpression: "version = :v",
      ExpressionAttributeValues: { ":v": { N: "11" } },
      ReturnValues: "ALL_OLD",
      ReturnConsumedCapacity: "TOTAL",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD",
    },
  ],
  [
    "UpdateItem",
    {
      TableName: "t1x",
      Key: { PK: S("a"), SK: S("b") },
      UpdateExpression: "SET #a = :a ADD #n :n",
      ExpressionAttributeNames: { "#a": "a", "#n": "n" },
      ExpressionAttributeValues: { ":a": { L: [S("x")] }, ":n": { N: "1" } },
      ReturnValues: "ALL_NEW",
    },
  ],
  ["GetItem", { TableName: "t1x", Key: { PK: S("a") }, ConsistentRead: true, ProjectionExpression: "a, b" }],
  [
    "Query",
    {
      TableName: "t1x",
      IndexName: "GSI2",
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": S("x") },
      Limit: 16,
      ScanIndexForward: false,
      ExclusiveStartKey: { PK: S("a"), SK: S("b") },
    },
  ],
  ["Scan", { TableName: "t1x", Segment: 1, TotalSegments: 4, Limit: 100, Select: "COUNT" }],
  [
    "BatchWriteItem",
    {
      RequestItems: {
        t1x: [{ PutRequest: { Item: item } }, { DeleteRequest: { Key: { PK: S("a") } } }],
      },
    },
  ],
  ["BatchGetItem", { RequestItems: { t1x: { Keys: [{ PK: S("a") }], ConsistentRead: true } } }],
  [
    "CreateTable",
    {
      TableName: "t1x",
      AttributeDefinitions: [{ AttributeName: "PK", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: "g1",
          KeySchema: [{ AttributeName: "PK", KeyType: "HASH" }],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["a"] },
        },
      ],
    },
  ],
  ["DeleteItem", { TableName: "t1x", Key: { PK: S("a") }, Expected: { a: { Value: S("x"), Exists: true } } }],
];

/** dynalite's checkTypes, or its error, and what it left of the input. */
function run(fn: (data: unknown) => unknown, body: unknown) {
  const input = JSON.parse(JSON.stringify(body)) as unknown;
  try {
    return { out: JSON.stringify(fn(input)), input: JSON.stringify(input) };
  } catch (err) {
    const e = err as Error & { body?: unknown };
    return { error: `${e.name}: ${e.message} ${JSON.stringify(e.body)}` };
  }
}

function compiledThenDynalite(op: string) {
  const types = typesOf(op);
  const fast = compileTypes(types);
  return (data: unknown) => {
    const r = fast(data as Record<string, unknown>);
    return r === SLOW ? checkTypes(data, types) : r;
  };
}

/** A small deterministic PRNG, so a failure reproduces. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

const REPLACEMENTS: unknown[] = [
  null,
  true,
  false,
  "true",
  "NO",
  "yes",
  "maybe",
  0,
  1,
  2.5,
  -3,
  "",
  "x",
  "QUJD",
  "QUJ=",
  "QUJDRA",
  "QU JD",
  "QUJ-",
  [],
  [null],
  ["QUJD"],
  [S("x")],
  {},
  S("x"),
  { N: "1" },
  { B: "QUJD" },
  { B: "QUJ=" },
  { S: "x", extra: 1 },
  { S: null, N: "2" },
  { L: [null, S("x")] },
  { M: { a: null } },
  { BOOL: "true" },
  { NULL: 1 },
  { SS: "x" },
];

/** Every node of a JSON value, as paths from the root. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function mutate(body: unknown, rand: () => number): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
  for (let n = 1 + Math.floor(rand() * 2); n > 0; n--) {
    const all = paths(copy).filter((p) => p.length > 0);
    if (all.length === 0) break;
    const path = all[Math.floor(rand() * all.length)]!;
    let parent = copy as Record<string | number, unknown>;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    const choice = rand();
    if (choice < 0.15 && !Array.isArray(parent)) {
      parent[["Unknown", "toString", "constructor", "S", "B"][Math.floor(rand() * 5)]!] = "x";
    } else if (choice < 0.25 && !Array.isArray(parent)) {
      delete parent[last];
    } else {
      parent[last] = JSON.parse(JSON.stringify(REPLACEMENTS[Math.floor(rand() * REPLACEMENTS.length)]));
    }
  }
  return copy;
}

describe("compileTypes", () => {
  it("builds what dynalite's checkTypes builds for valid requests, without falling back", () => {
    for (const [op, body] of BODIES) {
      const fast = compileTypes(typesOf(op));
      expect(fast(JSON.parse(JSON.stringify(body))), op).not.toBe(SLOW);
      expect(run(compiledThenDynalite(op), body), op).toEqual(run((d) => checkTypes(d, typesOf(op)), body));
    }
  });

  it("answers exactly as dynalite for mutated requests: same result, same error, same input left", () => {
    const rand = prng(42);
    let fellBack = 0;
    for (let i = 0; i < 3000; i++) {
      const [op, body] = BODIES[i % BODIES.length]!;
      const mutated = mutate(body, rand);
      const expected = run((d) => checkTypes(d, typesOf(op)), mutated);
      expect(run(compiledThenDynalite(op), mutated), `${op} ${JSON.stringify(mutated)}`).toEqual(expected);
      if (compileTypes(typesOf(op))(JSON.parse(JSON.stringify(mutated))) === SLOW) fellBack++;
    }
    // Both paths must have been exercised for the comparison to mean something.
    expect(fellBack).toBeGreaterThan(300);
    expect(fellBack).toBeLessThan(2700);
  });

  it("matches dynalite on members named like Object.prototype's and on __proto__", () => {
    const body = JSON.parse(
      '{"TableName":"t1x","Item":{"__proto__":{"S":"p"},"constructor":{"N":"1"},"toString":{"M":{"__proto__":{"S":"q"}}}},"toString":"x","__proto__":"y"}',
    ) as unknown;
    expect(run(compiledThenDynalite("PutItem"), body)).toEqual(
      run((d) => checkTypes(d, typesOf("PutItem")), body),
    );
  });

  it("has a compiled walk for every operation dynalite implements", () => {
    for (const op of DYNALITE_OPERATIONS) expect(typeof compileTypes(typesOf(op))).toBe("function");
  });
});
