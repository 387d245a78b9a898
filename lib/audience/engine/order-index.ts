import { grow, hasBit, setBit, wordsFor } from "@/lib/audience/engine/bitset";
import { compareKeys, type SortKey } from "@/lib/audience/normalize";

/** Id order of one set of live docs, shared by every index built from that set. */
export interface IdRanks {
  rankOf: Uint32Array;
  docAt: Uint32Array;
}

/**
 * Dense ranks (0 = smallest) of each doc's key, in the order of `docs`. Strings sort with the default
 * Array sort, which compares UTF-16 code units exactly like `<` in compareKeys.
 */
export function rankKeys(docs: Uint32Array, orderKeys: OrderKeys): Uint32Array {
  const n = docs.length;
  const out = new Uint32Array(n);
  if (n === 0) return out;
  const key = orderKeys.key;
  if (orderKeys.coded) {
    // Dictionary-backed keys: rank the (few) distinct codes once, then look up per doc.
    const { code, keyOfCode } = orderKeys.coded;
    const values = keyOfCode();
    const codes = Array.from(values.keys()).sort((a, b) => compareKeys(values[a]!, "", values[b]!, ""));
    const rankOfCode = new Uint32Array(values.length);
    let r = 0;
    codes.forEach((c, i) => {
      if (i > 0 && values[c] !== values[codes[i - 1]!]) r++;
      rankOfCode[c] = r;
    });
    for (let i = 0; i < n; i++) out[i] = rankOfCode[code(docs[i]!)]!;
    return out;
  }
  if (typeof key(docs[0]!) === "number") {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = key(docs[i]!) as number;
    const sorted = values.slice().sort();
    let m = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[m - 1]) sorted[m++] = sorted[i]!;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      out[i] = lo;
    }
    return out;
  }
  const rankOf = new Map<string, number>();
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const k = key(docs[i]!) as string;
    keys[i] = k;
    rankOf.set(k, 0);
  }
  const distinct = [...rankOf.keys()].sort();
  for (let r = 0; r < distinct.length; r++) rankOf.set(distinct[r]!, r);
  for (let i = 0; i < n; i++) out[i] = rankOf.get(keys[i]!)!;
  return out;
}

const PREFIX_CACHE_MIN_RUN = 4096;
const PREFIX_CACHE_SIZE = 48;

export interface OrderKeys {
  key(doc: number): SortKey;
  id(doc: number): string;
  live(doc: number): boolean;
  /** For keys read from a dictionary: the doc's code and the key of every code (lets builds skip hashing). */
  coded?: { code(doc: number): number; keyOfCode(): readonly string[] };
}

/**
 * Docs presorted by (key, id), built lazily on first use. Changes after the build do not re-sort: the
 * changed docs go to a small `dirty` overlay that readers merge in; when the overlay outgrows `maxDirty`
 * it is merged into the base in one O(n + k log n) pass. So stream updates never pay a full sort.
 */
export class OrderIndex {
  perm: Uint32Array | null = null;
  /** Position of each doc in perm; only meaningful for docs that are live and not dirty. */
  rank: Uint32Array | null = null;
  /** Docs changed since the build, with their current key (so readers never recompute it). */
  readonly dirty = new Map<number, SortKey>();
  /** Bits of long prefix runs in the current base, least recently used first. */
  private readonly prefixCache = new Map<string, Uint32Array>();
  /** The same docs as `dirty`, as bits: hot loops test membership without hashing. */
  private dirtyBits = new Uint32Array(0);

  constructor(
    readonly keys: OrderKeys,
    private readonly withRank: boolean,
    private readonly maxDirty: (liveDocs: number) => number = (n) => Math.max(1024, n >>> 7),
    private readonly prefixCacheMinRun = PREFIX_CACHE_MIN_RUN,
  ) {}

  /** Records that a doc's key changed, appeared or vanished since the build. */
  touch(doc: number, liveDocs: number): void {
    if (this.perm === null) return;
    if (!this.dirty.has(doc)) {
      if (doc >>> 5 >= this.dirtyBits.length)
        this.dirtyBits = grow(this.dirtyBits, wordsFor(Math.max(doc + 1, 1024) * 2));
      setBit(this.dirtyBits, doc);
    }
    this.dirty.set(doc, this.keys.live(doc) ? this.keys.key(doc) : "");
    if (this.dirty.size > this.maxDirty(liveDocs)) this.compact();
  }

  /** Folds the overlay into the base: sort the k dirty docs, find each one's place by binary search, copy runs. */
  compact(): void {
    const perm = this.perm;
    if (perm === null || this.dirty.size === 0) return;
    const { key, id } = this.keys;
    const overlay = [...this.dirty.keys()]
      .filter((d) => this.keys.live(d))
      .sort((a, b) => this.compareDirty(a, b));
    const places = overlay.map((d) => {
      const k = this.dirty.get(d)!;
      const i = id(d);
      return this.partition((x) => compareKeys(key(x), id(x), k, i) > 0);
    });
    const next = new Uint32Array(perm.length + overlay.length);
    let n = 0;
    let from = 0;
    const copyClean = (to: number) => {
      for (let i = from; i < to; i++) if (!this.isDirty(perm[i]!)) next[n++] = perm[i]!;
      from = to;
    };
    overlay.forEach((d, j) => {
      copyClean(places[j]!);
      next[n++] = d;
    });
    copyClean(perm.length);
    this.perm = next.slice(0, n);
    this.clearDirty();
    if (this.rank) {
      if (this.rank.length < this.dirtyBits.length << 5)
        this.rank = grow(this.rank, this.dirtyBits.length << 5);
      for (let i = 0; i < n; i++) this.rank[this.perm[i]!] = i;
    }
  }

  invalidate(): void {
    this.perm = null;
    this.rank = null;
    this.clearDirty();
  }

  /** Called whenever the base changes (build, merge, invalidate). */
  private clearDirty(): void {
    if (this.dirty.size > 0) this.dirtyBits.fill(0);
    this.dirty.clear();
    this.prefixCache.clear();
  }

  isDirty(doc: number): boolean {
    return this.dirty.size > 0 && doc >>> 5 < this.dirtyBits.length && hasBit(this.dirtyBits, doc);
  }

  isBuilt(): boolean {
    return this.perm !== null;
  }

  /**
   * Sorts the given live docs by (key, id) without a JS comparator: keys and ids are first replaced by
   * their ranks, then one native Float64Array sort orders keyRank * n + idRank. Ten times faster than
   * comparing strings in a callback at a million docs.
   */
  build(liveDocs: Uint32Array, capacity: number, ids: IdRanks): void {
    const n = liveDocs.length;
    const keyRank = rankKeys(liveDocs, this.keys);
    const composite = new Float64Array(n);
    for (let i = 0; i < n; i++) composite[i] = keyRank[i]! * n + ids.rankOf[liveDocs[i]!]!;
    composite.sort();
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = ids.docAt[composite[i]! % n]!;
    this.perm = perm;
    this.clearDirty();
    if (this.withRank) {
      const rank = new Uint32Array(capacity);
      for (let i = 0; i < n; i++) rank[perm[i]!] = i;
      this.rank = rank;
    }
  }

  /** Current key of a dirty doc, as recorded by its last touch. */
  dirtyKey(doc: number): SortKey {
    return this.dirty.get(doc)!;
  }

  compareDirty(a: number, b: number): number {
    return compareKeys(this.dirty.get(a)!, this.keys.id(a), this.dirty.get(b)!, this.keys.id(b));
  }

  compare(a: number, b: number): number {
    return compareKeys(this.keys.key(a), this.keys.id(a), this.keys.key(b), this.keys.id(b));
  }

  /**
   * First base position from which every clean (non-dirty) entry satisfies `pred`, for a predicate that is
   * monotone over clean entries. Probes landing on dirty entries (whose keys may have changed) step right.
   */
  partition(pred: (doc: number) => boolean): number {
    const perm = this.perm!;
    let lo = 0;
    let hi = perm.length;
    const hasDirty = this.dirty.size > 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      let j = mid;
      if (hasDirty) while (j < hi && this.isDirty(perm[j]!)) j++;
      if (j === hi || pred(perm[j]!)) hi = mid;
      else lo = j + 1;
    }
    return lo;
  }

  /** ORs into target every clean doc whose (string) key starts with prefix: one contiguous run of perm. */
  orPrefix(target: Uint32Array, prefix: string): void {
    const cached = this.prefixCache.get(prefix);
    if (cached) {
      this.prefixCache.delete(prefix);
      this.prefixCache.set(prefix, cached);
      this.orMasked(target, cached);
      return;
    }
    const perm = this.perm!;
    const key = this.keys.key as (doc: number) => string;
    const lo = this.partition((d) => key(d) >= prefix);
    const hi = this.partition((d) => key(d) > prefix && !key(d).startsWith(prefix));
    if (hi - lo >= this.prefixCacheMinRun) {
      // Short prefixes match long runs; their bits are kept until the base changes, dirty docs masked at use.
      const bits = new Uint32Array(target.length);
      for (let i = lo; i < hi; i++) {
        const doc = perm[i]!;
        bits[doc >>> 5]! |= 1 << (doc & 31);
      }
      this.prefixCache.set(prefix, bits);
      if (this.prefixCache.size > PREFIX_CACHE_SIZE)
        this.prefixCache.delete(this.prefixCache.keys().next().value!);
      this.orMasked(target, bits);
      return;
    }
    const checkDirty = this.dirty.size > 0;
    for (let i = lo; i < hi; i++) {
      const doc = perm[i]!;
      if (checkDirty && this.isDirty(doc)) continue;
      target[doc >>> 5]! |= 1 << (doc & 31);
    }
  }

  /** target |= bits AND NOT dirty. */
  private orMasked(target: Uint32Array, bits: Uint32Array): void {
    const n = Math.min(target.length, bits.length);
    const dirty = this.dirtyBits;
    if (this.dirty.size === 0) {
      for (let i = 0; i < n; i++) target[i]! |= bits[i]!;
      return;
    }
    for (let i = 0; i < n; i++) target[i]! |= bits[i]! & ~(dirty[i] ?? 0);
  }

  approxBytes(): number {
    return (
      (this.perm?.byteLength ?? 0) +
      (this.rank?.byteLength ?? 0) +
      this.dirtyBits.byteLength +
      this.dirty.size * 16
    );
  }
}
