import { ValidationError } from "@/lib/errors";

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** Turns DynamoDB's LastEvaluatedKey into an opaque, URL-safe cursor. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  if (!lastEvaluatedKey) return null;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), "utf8").toString("base64url");
}

export interface CursorShape {
  /** Exactly these attributes must be present, all strings. */
  attributes: readonly string[];
  /** Attributes whose value is fixed by the query (e.g. GSI1PK = "USERS"); a cursor from another list fails. */
  fixed?: Record<string, string>;
  /** Attributes that must start with a prefix (e.g. SK begins with "REG#"). */
  prefixes?: Record<string, string>;
}

const invalid = () =>
  new ValidationError("Invalid cursor.", [
    { field: "cursor", message: "Cursor is malformed or belongs to another list." },
  ]);

/**
 * Decodes and checks a cursor so garbage never reaches DynamoDB as an ExclusiveStartKey.
 * @throws ValidationError (field "cursor") when it is not one this list produced.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: CursorShape,
): Record<string, string> | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid();
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const expected = [...shape.attributes].sort();
  if (keys.length !== expected.length || keys.some((k, i) => k !== expected[i])) throw invalid();
  for (const key of keys) {
    const value = record[key];
    if (typeof value !== "string" || value.length === 0 || value.length > 1024) throw invalid();
  }
  const typed = record as Record<string, string>;
  for (const [attr, value] of Object.entries(shape.fixed ?? {})) if (typed[attr] !== value) throw invalid();
  for (const [attr, prefix] of Object.entries(shape.prefixes ?? {}))
    if (!typed[attr]?.startsWith(prefix)) throw invalid();
  return typed;
}
