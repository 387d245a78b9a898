import { ValidationError } from "@/lib/errors";
import type { SortKey } from "@/lib/audience/normalize";
import type { SortSpec } from "@/lib/audience/schemas";

/**
 * Cursors are opaque base64url JSON. A keyset cursor holds the last row's sort key and id, so paging stays
 * exact while the index changes underneath; an offset cursor only exists for the legacy page/size parameters.
 */
const NUMERIC_SORT_FIELDS = new Set<SortSpec["field"]>([
  "createdAt",
  "hostedEventCount",
  "attendedEventCount",
]);

export type Cursor =
  | { kind: "after"; field: SortSpec["field"]; order: SortSpec["order"]; key: SortKey; id: string }
  | { kind: "offset"; offset: number };

export function encodeCursor(cursor: Cursor): string {
  const payload =
    cursor.kind === "after"
      ? { f: cursor.field, o: cursor.order, k: cursor.key, i: cursor.id }
      : { n: cursor.offset };
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/**
 * Decodes a cursor and checks it was made for this sort.
 * @throws ValidationError (field "cursor") when it is malformed or belongs to another sort.
 */
export function decodeCursor(raw: string, sort?: SortSpec): Cursor {
  const bad = (message: string) => new ValidationError("Invalid cursor.", [{ field: "cursor", message }]);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw bad("The cursor is not one this API issued.");
  }
  if (typeof payload !== "object" || payload === null) throw bad("The cursor is not one this API issued.");
  const p = payload as Record<string, unknown>;
  if (typeof p.n === "number") {
    if (!Number.isSafeInteger(p.n) || p.n < 0) throw bad("The cursor is not one this API issued.");
    return { kind: "offset", offset: p.n };
  }
  const keyOk = typeof p.k === "string" || (typeof p.k === "number" && Number.isFinite(p.k));
  if (typeof p.f !== "string" || (p.o !== "asc" && p.o !== "desc") || !keyOk || typeof p.i !== "string") {
    throw bad("The cursor is not one this API issued.");
  }
  if (NUMERIC_SORT_FIELDS.has(p.f as SortSpec["field"]) !== (typeof p.k === "number")) {
    throw bad("The cursor is not one this API issued.");
  }
  if (sort && (sort.field !== p.f || sort.order !== p.o)) {
    throw bad("The cursor belongs to a different sort; start again without it.");
  }
  return { kind: "after", field: p.f as SortSpec["field"], order: p.o, key: p.k as SortKey, id: p.i };
}
