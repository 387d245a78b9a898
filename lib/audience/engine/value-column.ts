import { clearBit, grow, orInPlace, setBit, wordsFor } from "@/lib/audience/engine/bitset";

/** Most threshold bitsets one column keeps for range queries (each is capacity/8 bytes). */
const MAX_THRESHOLDS = 64;

/** Interns strings as small ints; code 0 is reserved for "no value". */
export class Dictionary {
  private readonly codes = new Map<string, number>();
  readonly values: string[] = [""];

  intern(value: string): number {
    if (value === "") return 0;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }

  /** Like intern, but "" gets a code of its own (for echoing stored values verbatim). */
  internVerbatim(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }

  lookup(value: string): number | undefined {
    return value === "" ? 0 : this.codes.get(value);
  }

  get size(): number {
    return this.values.length;
  }

  approxBytes(): number {
    let chars = 0;
    for (const v of this.values) chars += v.length;
    return chars + this.values.length * 48;
  }
}

/** Per-doc codes start as 16-bit and widen to 32-bit on the first code above 65535. */
export type Codes = Uint16Array | Uint32Array;

export function setCode(codes: Codes, doc: number, code: number): Codes {
  const target = code > 0xffff && codes instanceof Uint16Array ? Uint32Array.from(codes) : codes;
  target[doc] = code;
  return target;
}

interface Posting {
  /**
   * Unsorted doc numbers, possibly with stale entries: removal does not search the list, readers skip any
   * doc whose current code differs, and a sweep drops stale and duplicate entries once they are half the list.
   */
  ids: Uint32Array;
  len: number;
  /** Docs currently holding the code (exact). */
  count: number;
  /** Same docs as a bitset, kept only for frequent values where setting bits one by one would cost more. */
  dense?: Uint32Array;
}

/**
 * One integer code per doc plus a posting list per code (roaring-like in spirit: sparse values as arrays,
 * frequent ones also as a bitset).
 */
export class ValueColumn {
  private codeOfDoc: Codes;
  private readonly postings = new Map<number, Posting>();
  private capacity: number;
  /**
   * atLeast[c] = docs whose code is ≥ c, for c = 1..length-1, while docs above are frequent: a range is then
   * one pass over two bitsets instead of an OR per code. Built on the first range query, kept by set().
   */
  private atLeast: Uint32Array[] | undefined;

  constructor(
    capacity: number,
    private readonly denseMin?: number,
  ) {
    this.capacity = capacity;
    this.codeOfDoc = new Uint16Array(capacity);
  }

  growTo(capacity: number): void {
    this.capacity = capacity;
    this.codeOfDoc = grow(this.codeOfDoc, capacity);
    const words = wordsFor(capacity);
    for (const p of this.postings.values()) if (p.dense) p.dense = grow(p.dense, words);
    if (this.atLeast) this.atLeast = this.atLeast.map((b) => grow(b, words));
  }

  code(doc: number): number {
    return this.codeOfDoc[doc]!;
  }

  /** Sets the doc's code (0 = none); returns false when nothing changed. */
  set(doc: number, code: number): boolean {
    const old = this.codeOfDoc[doc]!;
    if (old === code) return false;
    this.codeOfDoc = setCode(this.codeOfDoc, doc, code);
    if (old !== 0) this.unlink(doc, old);
    if (code !== 0) this.link(doc, code);
    const atLeast = this.atLeast;
    if (atLeast) {
      const top = atLeast.length - 1;
      if (old < code) for (let c = old + 1; c <= Math.min(code, top); c++) setBit(atLeast[c]!, doc);
      else for (let c = code + 1; c <= Math.min(old, top); c++) clearBit(atLeast[c]!, doc);
    }
    return true;
  }

  private link(doc: number, code: number): void {
    let p = this.postings.get(code);
    if (!p) {
      p = { ids: new Uint32Array(4), len: 0, count: 0 };
      this.postings.set(code, p);
    }
    if (p.len === p.ids.length) p.ids = grow(p.ids, p.len * 2);
    p.ids[p.len++] = doc;
    p.count += 1;
    if (p.dense) setBit(p.dense, doc);
    else if (
      this.denseMin === undefined
        ? p.count >= 256 && p.count >= this.capacity >>> 6
        : p.count >= this.denseMin
    ) {
      // Frequent value: a bitset OR (capacity/32 words) is now cheaper than setting count bits one by one.
      p.dense = new Uint32Array(wordsFor(this.capacity));
      this.orPosting(p.dense, code, p);
    }
  }

  private unlink(doc: number, code: number): void {
    const p = this.postings.get(code)!;
    p.count -= 1;
    if (p.dense) clearBit(p.dense, doc);
    if (p.count === 0) this.postings.delete(code);
    else if (p.len > 2 * p.count + 32) this.sweep(code, p);
  }

  /** Drops stale and duplicate entries (a doc that left and came back is listed twice). */
  private sweep(code: number, p: Posting): void {
    const ids = p.ids.subarray(0, p.len).sort();
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const d = ids[i]!;
      if (this.codeOfDoc[d] === code && (n === 0 || ids[n - 1] !== d)) ids[n++] = d;
    }
    p.len = n;
    if (p.ids.length > 2 * n + 16) p.ids = p.ids.slice(0, n * 2);
  }

  /** Sweeps and trims posting arrays grown by doubling during a bulk load. */
  compact(): void {
    for (const [code, p] of this.postings) {
      if (p.len > p.count) this.sweep(code, p);
      if (p.ids.length > p.len + 16) p.ids = p.ids.slice(0, p.len);
    }
  }

  count(code: number): number {
    return this.postings.get(code)?.count ?? 0;
  }

  private orPosting(target: Uint32Array, code: number, p: Posting): void {
    const { ids, len } = p;
    const codes = this.codeOfDoc;
    for (let i = 0; i < len; i++) {
      const d = ids[i]!;
      if (codes[d] === code) target[d >>> 5]! |= 1 << (d & 31);
    }
  }

  /** The exact bitset of the docs holding `code` when the value is frequent enough to keep one; read-only. */
  denseOf(code: number): Uint32Array | undefined {
    return this.postings.get(code)?.dense;
  }

  /** ORs the docs holding `code` into target. */
  orInto(target: Uint32Array, code: number): void {
    const p = this.postings.get(code);
    if (!p) return;
    if (p.dense) orInPlace(target, p.dense);
    else this.orPosting(target, code, p);
  }

  /**
   * Sets in `target` (all zero on entry) the docs whose code is in [lo, hi]; code 0 never matches.
   * Low thresholds come from the atLeast bitsets, the rare codes above them from their postings.
   */
  rangeInto(target: Uint32Array, lo: number, hi: number): void {
    const from = Math.max(1, Math.ceil(lo));
    const to = Math.floor(hi);
    if (to < from) return;
    this.atLeast ??= this.buildAtLeast();
    const top = this.atLeast.length - 1;
    if (from > top) {
      for (const [code, p] of this.postings) {
        if (code < from || code > to) continue;
        if (p.dense) orInPlace(target, p.dense);
        else this.orPosting(target, code, p);
      }
      return;
    }
    const base = this.atLeast[from]!;
    const n = Math.min(target.length, base.length);
    if (to + 1 <= top) {
      const cut = this.atLeast[to + 1]!;
      for (let i = 0; i < n; i++) target[i] = base[i]! & ~cut[i]!;
      return;
    }
    target.set(base.subarray(0, n));
    if (to === Infinity) return;
    for (const [code, p] of this.postings) {
      if (code <= to) continue;
      if (p.dense) for (let i = 0; i < n; i++) target[i]! &= ~p.dense[i]!;
      else {
        const { ids, len } = p;
        for (let i = 0; i < len; i++) {
          const d = ids[i]!;
          if (this.codeOfDoc[d] === code) target[d >>> 5]! &= ~(1 << (d & 31));
        }
      }
    }
  }

  /** Thresholds 1, 2, … while at least a dense posting's worth of docs lies at or above them. */
  private buildAtLeast(): Uint32Array[] {
    const frequent = this.denseMin ?? Math.max(256, this.capacity >>> 6);
    let above = 0;
    for (const p of this.postings.values()) above += p.count;
    let top = 0;
    while (top < MAX_THRESHOLDS && above >= frequent) {
      top += 1;
      above -= this.count(top);
    }
    const words = wordsFor(this.capacity);
    const atLeast = Array.from({ length: top + 1 }, (_, c) => new Uint32Array(c === 0 ? 0 : words));
    const codes = this.codeOfDoc;
    for (let d = 0; d < codes.length; d++) {
      const k = Math.min(codes[d]!, top);
      for (let c = 1; c <= k; c++) setBit(atLeast[c]!, d);
    }
    return atLeast;
  }

  codes(): IterableIterator<number> {
    return this.postings.keys();
  }

  approxBytes(): number {
    let n = this.codeOfDoc.byteLength;
    for (const p of this.postings.values()) n += p.ids.byteLength + (p.dense?.byteLength ?? 0) + 64;
    for (const b of this.atLeast ?? []) n += b.byteLength;
    return n;
  }
}
