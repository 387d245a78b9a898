const EMPTY = -1;
const DELETED = -2;

/**
 * User id → doc number, as open addressing over one Int32Array. The ids themselves already live in the
 * engine's idOfDoc array, so the table stores only doc numbers: ~8 bytes per user instead of ~30 for a Map.
 */
export class IdTable {
  private slots = new Int32Array(1024).fill(EMPTY);
  private live = 0;
  private occupied = 0;

  constructor(private readonly idOf: (doc: number) => string) {}

  get size(): number {
    return this.live;
  }

  get(id: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const doc = this.slots[i]!;
      if (doc === EMPTY) return undefined;
      if (doc !== DELETED && this.idOf(doc) === id) return doc;
    }
  }

  /** Adds an id that is not in the table yet (the caller checked with get). */
  add(id: string, doc: number): void {
    if ((this.occupied + 1) * 2 > this.slots.length) this.resize();
    const mask = this.slots.length - 1;
    let i = hash(id) & mask;
    while (this.slots[i]! >= 0) i = (i + 1) & mask;
    if (this.slots[i] === EMPTY) this.occupied++;
    this.slots[i] = doc;
    this.live++;
  }

  delete(id: string): void {
    const mask = this.slots.length - 1;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const doc = this.slots[i]!;
      if (doc === EMPTY) return;
      if (doc !== DELETED && this.idOf(doc) === id) {
        this.slots[i] = DELETED;
        this.live--;
        return;
      }
    }
  }

  /** Rehashes live entries, dropping tombstones; grows only when live entries need it. */
  private resize(): void {
    const old = this.slots;
    let size = 1024;
    while (size < (this.live + 1) * 4) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.occupied = 0;
    const mask = size - 1;
    for (let k = 0; k < old.length; k++) {
      const doc = old[k]!;
      if (doc < 0) continue;
      let i = hash(this.idOf(doc)) & mask;
      while (this.slots[i] !== EMPTY) i = (i + 1) & mask;
      this.slots[i] = doc;
      this.occupied++;
    }
  }

  approxBytes(): number {
    return this.slots.byteLength;
  }
}

/** FNV-1a over UTF-16 code units with a final avalanche, so sequential ids spread over the table. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
