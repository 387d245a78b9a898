import { clearBit, grow, orInPlace, setAll, setBit, wordsFor } from "@/lib/audience/engine/bitset";

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

interface Posting {
  /** Unsorted doc numbers; order is irrelevant because we only ever turn them into bits. */
  ids: Uint32Array;
  len: number;
  /** Same docs as a bitset, kept only for frequent values where setting bits one by one would cost more. */
  dense?: Uint32Array;
}

/**
 * One integer code per doc plus a posting list per code (roaring-like in spirit: sparse values as arrays,
 * frequent ones also as a bitset). Posting lists are unsorted so removal is an O(1) swap with the last entry.
 */
export class ValueColumn {
  private codeOfDoc: Uint32Array;
  private posOfDoc: Uint32Array;
  private readonly postings = new Map<number, Posting>();
  private capacity: number;

  constructor(
    capacity: number,
    private readonly denseMin?: number,
  ) {
    this.capacity = capacity;
    this.codeOfDoc = new Uint32Array(capacity);
    this.posOfDoc = new Uint32Array(capacity);
  }

  growTo(capacity: number): void {
    this.capacity = capacity;
    this.codeOfDoc = grow(this.codeOfDoc, capacity);
    this.posOfDoc = grow(this.posOfDoc, capacity);
    const words = wordsFor(capacity);
    for (const p of this.postings.values()) if (p.dense) p.dense = grow(p.dense, words);
  }

  code(doc: number): number {
    return this.codeOfDoc[doc]!;
  }

  /** Sets the doc's code (0 = none); returns false when nothing changed. */
  set(doc: number, code: number): boolean {
    const old = this.codeOfDoc[doc]!;
    if (old === code) return false;
    if (old !== 0) this.unlink(doc, old);
    this.codeOfDoc[doc] = code;
    if (code !== 0) this.link(doc, code);
    return true;
  }

  private link(doc: number, code: number): void {
    let p = this.postings.get(code);
    if (!p) {
      p = { ids: new Uint32Array(4), len: 0 };
      this.postings.set(code, p);
    }
    if (p.len === p.ids.length) p.ids = grow(p.ids, p.len * 2);
    p.ids[p.len] = doc;
    this.posOfDoc[doc] = p.len;
    p.len += 1;
    if (p.dense) setBit(p.dense, doc);
    else if (
      this.denseMin === undefined ? p.len >= 256 && p.len >= this.capacity >>> 6 : p.len >= this.denseMin
    ) {
      // Frequent value: a bitset OR (capacity/32 words) is now cheaper than setting len bits one by one.
      p.dense = new Uint32Array(wordsFor(this.capacity));
      setAll(p.dense, p.ids, p.len);
    }
  }

  private unlink(doc: number, code: number): void {
    const p = this.postings.get(code)!;
    const pos = this.posOfDoc[doc]!;
    const last = p.ids[p.len - 1]!;
    p.ids[pos] = last;
    this.posOfDoc[last] = pos;
    p.len -= 1;
    if (p.dense) clearBit(p.dense, doc);
    if (p.len === 0) this.postings.delete(code);
    else if (p.ids.length > 64 && p.len < p.ids.length >>> 2) p.ids = p.ids.slice(0, p.len * 2);
  }

  /** Trims posting arrays grown by doubling during a bulk load. */
  compact(): void {
    for (const p of this.postings.values()) if (p.ids.length > p.len + 16) p.ids = p.ids.slice(0, p.len);
  }

  count(code: number): number {
    return this.postings.get(code)?.len ?? 0;
  }

  /** ORs the docs holding `code` into target. */
  orInto(target: Uint32Array, code: number): void {
    const p = this.postings.get(code);
    if (!p) return;
    if (p.dense) orInPlace(target, p.dense);
    else setAll(target, p.ids, p.len);
  }

  codes(): IterableIterator<number> {
    return this.postings.keys();
  }

  approxBytes(): number {
    let n = this.codeOfDoc.byteLength + this.posOfDoc.byteLength;
    for (const p of this.postings.values()) n += p.ids.byteLength + (p.dense?.byteLength ?? 0) + 64;
    return n;
  }
}
