import { grow, hasBit, setBit, wordsFor } from "@/lib/audience/engine/bitset";
import { compareKeys, type SortKey } from "@/lib/audience/normalize";

export interface OrderKeys {
  key(doc: number): SortKey;
  id(doc: number): string;
}

/**
 * Docs presorted by (key, id), built lazily on first use. Changes after the build do not re-sort: the
 * changed docs go to a small `dirty` overlay that readers merge in, and the base is rebuilt only when the
 * overlay outgrows `maxDirty`. So a steady trickle of stream updates never pays a full sort per query.
 */
export class OrderIndex {
  perm: Uint32Array | null = null;
  /** Position of each doc in perm; only meaningful for docs that are live and not dirty. */
  rank: Uint32Array | null = null;
  readonly dirty = new Set<number>();
  /** The same docs as `dirty`, as bits: hot loops test membership without hashing. */
  private dirtyBits = new Uint32Array(0);

  constructor(
    readonly keys: OrderKeys,
    private readonly withRank: boolean,
    private readonly maxDirty: (liveDocs: number) => number = (n) => Math.max(1024, n >>> 6),
  ) {}

  /** Records that a doc's key changed, appeared or vanished since the build. */
  touch(doc: number, liveDocs: number): void {
    if (this.perm === null || this.dirty.has(doc)) return;
    this.dirty.add(doc);
    if (doc >>> 5 >= this.dirtyBits.length)
      this.dirtyBits = grow(this.dirtyBits, wordsFor(Math.max(doc + 1, 1024) * 2));
    setBit(this.dirtyBits, doc);
    if (this.dirty.size > this.maxDirty(liveDocs)) this.invalidate();
  }

  invalidate(): void {
    this.perm = null;
    this.rank = null;
    this.clearDirty();
  }

  private clearDirty(): void {
    if (this.dirty.size > 0) this.dirtyBits.fill(0);
    this.dirty.clear();
  }

  isDirty(doc: number): boolean {
    return this.dirty.size > 0 && doc >>> 5 < this.dirtyBits.length && hasBit(this.dirtyBits, doc);
  }

  isBuilt(): boolean {
    return this.perm !== null;
  }

  /** Sorts the given live docs; keys are computed once up front so the comparator stays cheap. */
  build(liveDocs: Uint32Array, capacity: number): void {
    const n = liveDocs.length;
    const keys: SortKey[] = new Array<SortKey>(n);
    const ids: string[] = new Array<string>(n);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const doc = liveDocs[i]!;
      keys[i] = this.keys.key(doc);
      ids[i] = this.keys.id(doc);
      order[i] = i;
    }
    order.sort((a, b) => compareKeys(keys[a]!, ids[a]!, keys[b]!, ids[b]!));
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = liveDocs[order[i]!]!;
    this.perm = perm;
    this.clearDirty();
    if (this.withRank) {
      const rank = new Uint32Array(capacity);
      for (let i = 0; i < n; i++) rank[perm[i]!] = i;
      this.rank = rank;
    }
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
    const perm = this.perm!;
    const key = this.keys.key as (doc: number) => string;
    const lo = this.partition((d) => key(d) >= prefix);
    const hi = this.partition((d) => key(d) > prefix && !key(d).startsWith(prefix));
    const checkDirty = this.dirty.size > 0;
    for (let i = lo; i < hi; i++) {
      const doc = perm[i]!;
      if (checkDirty && this.isDirty(doc)) continue;
      target[doc >>> 5]! |= 1 << (doc & 31);
    }
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
