/**
 * A compiled stand-in for dynalite's `checkTypes` (validations/index.js), the generic type walk every request
 * body goes through. dynalite interprets its type descriptors anew for every value (a regular expression per
 * node, a fresh descriptor object per attribute value); here each operation's descriptors become closures once.
 *
 * Only requests dynalite would accept unchanged are handled: anything it would reject or convert (a Boolean
 * written as "true", an Integer given as 2.5, bad base64) gives up with SLOW, and the caller runs dynalite's own
 * `checkTypes`, so every error and every conversion still comes from dynalite. On the accepted path the result
 * is built as dynalite builds it (members in descriptor order, maps in input order, nulls kept in maps and
 * lists), and members dynalite deletes from the input (unknown or null) are deleted the same way.
 */

export const SLOW: unique symbol = Symbol("slow");
type Check = (value: unknown) => unknown;

/** A type descriptor as dynalite writes them: "String", "Map<X>", or { type, children, ...constraints }. */
export type Descriptor = string | { type?: string; children?: unknown };
export type Descriptors = Record<string, Descriptor>;

/** The members of an attribute value, as dynalite's checkType expands "AttrStruct<...>". */
const ATTRIBUTE_VALUE: Descriptors = {
  S: "String",
  B: "Blob",
  N: "String",
  BOOL: "Boolean",
  NULL: "Boolean",
  BS: { type: "List", children: "Blob" },
  NS: { type: "List", children: "String" },
  SS: { type: "List", children: "String" },
  L: { type: "List", children: "AttrStruct<ValueStruct>" },
  M: { type: "Map<AttributeValue>", children: "AttrStruct<ValueStruct>" },
};

/** Compiles an operation's descriptors; the function returns dynalite's checkTypes result, or SLOW. */
export function compileTypes(types: Descriptors): (data: Record<string, unknown>) => unknown {
  const struct = structOf(types);
  return (data) => struct(data);
}

function structOf(types: Descriptors): Check {
  // Filled lazily: attribute values nest (L and M hold attribute values), so the compiler must not recurse eagerly.
  let members: [string, Check][] | undefined;
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return SLOW;
    members ??= Object.keys(types).map((k) => [k, compile(types[k]!)]);
    const obj = value as Record<string, unknown>;
    // dynalite drops members it has no descriptor for, and nulls, from the input itself.
    for (const k in obj) if (!types[k] || obj[k] == null) delete obj[k];
    const out: Record<string, unknown> = {};
    for (const [k, check] of members) {
      const v = obj[k];
      if (v == null) continue;
      const r = check(v);
      if (r === SLOW) return SLOW;
      if (r != null) out[k] = r;
    }
    return out;
  };
}

const cache = new Map<Descriptor, Check>();

function compile(desc: Descriptor): Check {
  let check = cache.get(desc);
  if (!check) {
    check = build(desc);
    cache.set(desc, check);
  }
  return check;
}

/** Mirrors checkType's reading of a descriptor: children first, then the type name and its <subtype>. */
function build(desc: Descriptor): Check {
  if (typeof desc !== "string" && (typeof desc !== "object" || desc === null)) return () => SLOW;
  const children = typeof desc === "string" ? undefined : desc.children;
  const name = typeof desc === "string" ? desc : (desc.type ?? "");
  const base = /^(.+?)<(.+)>$/.exec(name)?.[1] ?? name;
  // dynalite reads a string child as { type: child }; the string itself compiles the same and caches better.
  const childDesc = children as Descriptor;
  switch (base) {
    case "AttrStruct":
      return structOf(ATTRIBUTE_VALUE);
    case "String":
      return (v) => (typeof v === "string" ? v : SLOW);
    case "Boolean":
      return (v) => (typeof v === "boolean" ? v : SLOW);
    case "Short":
    case "Integer":
    case "Long":
      return (v) => (typeof v === "number" ? Math.floor(v) : SLOW);
    case "Double":
      return (v) => (typeof v === "number" ? v : SLOW);
    case "Blob":
      return (v) => (typeof v === "string" && isCanonicalBase64(v) ? v : SLOW);
    case "List":
    case "ParameterizedList":
      return listOf(childDesc);
    case "Map":
    case "ParameterizedMap":
      return mapOf(childDesc);
    case "ValueStruct":
    case "FieldStruct":
      if (typeof children !== "object" || children === null) return () => SLOW;
      return structOf(children as Descriptors);
    default:
      return () => SLOW;
  }
}

function listOf(child: Descriptor): Check {
  let check: Check | undefined;
  return (value) => {
    if (!Array.isArray(value)) return SLOW;
    check ??= compile(child);
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const r = v == null ? null : check(v);
      if (r === SLOW) return SLOW;
      out[i] = r;
    }
    return out;
  };
}

function mapOf(child: Descriptor): Check {
  let check: Check | undefined;
  return (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return SLOW;
    check ??= compile(child);
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      const r = v == null ? null : check(v);
      if (r === SLOW) return SLOW;
      out[k] = r;
    }
    return out;
  };
}

/** dynalite's Blob test: a length that is a multiple of 4, and decoding then encoding gives the string back. */
function isCanonicalBase64(v: string): boolean {
  return v.length % 4 === 0 && Buffer.from(v, "base64").toString("base64") === v;
}
