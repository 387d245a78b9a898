/**
 * Dense bitsets over document numbers, as plain Uint32Arrays: one bit per doc, 125 KB per million docs.
 * Kept as free functions so hot loops stay monomorphic and allocation-free.
 */

export function wordsFor(capacity: number): number {
  return (capacity + 31) >>> 5;
}

export function setBit(bits: Uint32Array, doc: number): void {
  bits[doc >>> 5]! |= 1 << (doc & 31);
}

export function clearBit(bits: Uint32Array, doc: number): void {
  bits[doc >>> 5]! &= ~(1 << (doc & 31));
}

export function hasBit(bits: Uint32Array, doc: number): boolean {
  return ((bits[doc >>> 5]! >>> (doc & 31)) & 1) === 1;
}

export function popcount32(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function popcount(bits: Uint32Array): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) {
    const w = bits[i]!;
    if (w !== 0) n += popcount32(w);
  }
  return n;
}

/** target &= other (missing words of a shorter `other` count as 0); returns whether any bit survived. */
export function andInPlace(target: Uint32Array, other: Uint32Array): boolean {
  const n = Math.min(target.length, other.length);
  let any = 0;
  for (let i = 0; i < n; i++) any |= target[i]! &= other[i]!;
  if (n < target.length) target.fill(0, n);
  return any !== 0;
}

/** target &= ~other (missing words of a shorter `other` count as 0); returns whether any bit survived. */
export function andNotInPlace(target: Uint32Array, other: Uint32Array): boolean {
  const n = Math.min(target.length, other.length);
  let any = 0;
  for (let i = 0; i < n; i++) any |= target[i]! &= ~other[i]!;
  for (let i = n; i < target.length; i++) any |= target[i]!;
  return any !== 0;
}

/** target &= mask, returning the number of bits left: the final AND with the live docs and the total in one pass. */
export function andCount(target: Uint32Array, mask: Uint32Array): number {
  const n = Math.min(target.length, mask.length);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const w = (target[i]! &= mask[i]!);
    if (w !== 0) count += popcount32(w);
  }
  if (n < target.length) target.fill(0, n);
  return count;
}

export function orInPlace(target: Uint32Array, other: Uint32Array): void {
  const n = Math.min(target.length, other.length);
  for (let i = 0; i < n; i++) target[i]! |= other[i]!;
}

/** target = mask AND NOT target (used for `not`, relative to the live docs). */
export function complementWithin(target: Uint32Array, mask: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] = (mask[i] ?? 0) & ~target[i]!;
}

export function setAll(bits: Uint32Array, docs: ArrayLike<number>, length = docs.length): void {
  for (let i = 0; i < length; i++) {
    const d = docs[i]!;
    bits[d >>> 5]! |= 1 << (d & 31);
  }
}

/** Calls fn for each set bit in ascending doc order. */
export function forEachBit(bits: Uint32Array, fn: (doc: number) => void): void {
  for (let i = 0; i < bits.length; i++) {
    let w = bits[i]!;
    while (w !== 0) {
      const t = w & -w;
      fn((i << 5) + 31 - Math.clz32(t));
      w ^= t;
    }
  }
}

/** Copies into a larger (zero-padded) array when the doc capacity grows. */
export function grow<T extends Uint16Array | Uint32Array | Int32Array | Float64Array>(
  arr: T,
  length: number,
): T {
  if (arr.length >= length) return arr;
  const next = new (arr.constructor as new (n: number) => T)(length);
  next.set(arr);
  return next;
}
