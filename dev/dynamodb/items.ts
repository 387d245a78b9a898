import type { KeySchemaElement } from "@/dev/dynamodb/engine";
import type { JsonObject } from "@/dev/dynamodb/errors";

/** A DynamoDB item in wire form: attribute name → AttributeValue ({S}, {N}, {M}, ...). */
export type Item = Record<string, JsonObject>;

/** The key attributes of `item` under `schema`. */
export function keyOf(item: Item, schema: KeySchemaElement[]): Item {
  const key: Item = {};
  for (const k of schema) {
    const v = item[k.AttributeName];
    if (v !== undefined) key[k.AttributeName] = v;
  }
  return key;
}

/** The first key attribute `item` lacks, or undefined when every key attribute is there. */
export function missingKeyAttribute(item: Item, schema: KeySchemaElement[]): string | undefined {
  return schema.find((k) => item[k.AttributeName] === undefined)?.AttributeName;
}

/** A string identifying an item within its table; used to spot two operations on one item. */
export function keyId(table: string, key: Item, schema: KeySchemaElement[]): string {
  return JSON.stringify([table, ...schema.map((k) => key[k.AttributeName] ?? null)]);
}

const SET_TYPES = new Set(["SS", "NS", "BS"]);

/** Attribute-value equality as DynamoDB sees it: sets are unordered, maps are key-order free. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => valuesEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) {
    if (!(k in bo)) return false;
    if (SET_TYPES.has(k) && Array.isArray(ao[k]) && Array.isArray(bo[k])) {
      const as = [...(ao[k] as string[])].sort();
      const bs = [...(bo[k] as string[])].sort();
      if (!valuesEqual(as, bs)) return false;
    } else if (!valuesEqual(ao[k], bo[k])) return false;
  }
  return true;
}

export function itemsEqual(a: Item | undefined, b: Item | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return valuesEqual(a, b);
}
