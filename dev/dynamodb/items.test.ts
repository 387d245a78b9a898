import { describe, expect, it } from "vitest";

import { itemsEqual, keyOf } from "@/dev/dynamodb/items";

describe("itemsEqual", () => {
  it("treats sets as unordered and maps as key-order free", () => {
    expect(
      itemsEqual(
        { s: { SS: ["a", "b"] }, m: { M: { x: { N: "1" }, y: { S: "z" } } } },
        { m: { M: { y: { S: "z" }, x: { N: "1" } } }, s: { SS: ["b", "a"] } },
      ),
    ).toBe(true);
  });

  it("keeps list order and attribute types significant", () => {
    expect(itemsEqual({ l: { L: [{ N: "1" }, { N: "2" }] } }, { l: { L: [{ N: "2" }, { N: "1" }] } })).toBe(
      false,
    );
    expect(itemsEqual({ a: { N: "1" } }, { a: { S: "1" } })).toBe(false);
    expect(itemsEqual({ a: { N: "1" } }, { a: { N: "1" }, b: { NULL: true } })).toBe(false);
  });

  it("distinguishes absent from present", () => {
    expect(itemsEqual(undefined, undefined)).toBe(true);
    expect(itemsEqual(undefined, {})).toBe(false);
  });
});

describe("keyOf", () => {
  it("copies only the key attributes", () => {
    const item = { pk: { S: "a" }, sk: { N: "1" }, other: { S: "x" } };
    const key = keyOf(item, [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(key).toEqual({ pk: { S: "a" }, sk: { N: "1" } });
    expect(key).not.toBe(item);
  });
});
