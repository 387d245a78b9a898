import { decodeCursor, encodeCursor, type Cursor } from "@/lib/audience/cursor";
import {
  andCount,
  andInPlace,
  andNotInPlace,
  complementWithin,
  forEachBit,
  grow,
  hasBit,
  orInPlace,
  setBit,
  clearBit,
  wordsFor,
} from "@/lib/audience/engine/bitset";
import { IdTable } from "@/lib/audience/engine/id-table";
import { OrderIndex, type IdRanks, type OrderKeys } from "@/lib/audience/engine/order-index";
import { Dictionary, setCode, ValueColumn, type Codes } from "@/lib/audience/engine/value-column";
import {
  compareKeys,
  normalizeKeyword,
  normalizeSearch,
  parseTime,
  type SortKey,
} from "@/lib/audience/normalize";
import type { AudienceIndex, AudienceStats } from "@/lib/audience/port";
import {
  DEFAULT_SORT,
  KEYWORD_FIELDS,
  MAX_PAGE_SIZE,
  SORT_FIELDS,
  type AudienceChange,
  type AudiencePage,
  type AudienceQuery,
  type AudienceUser,
  type CountField,
  type FacetBucket,
  type FacetField,
  type FilterNode,
  type FilterTree,
  type KeywordField,
  type SortField,
} from "@/lib/audience/schemas";
import { ValidationError } from "@/lib/errors";

interface KeywordColumn {
  /** Original spellings, so results echo what the system of record holds. */
  raw: Dictionary;
  rawOfDoc: Codes;
  /** raw code → normalised code; normalised codes are what filters and facets use. */
  normOfRaw: number[];
  norm: Dictionary;
  /** First spelling seen per normalised code, used as a facet label. */
  labelOfNorm: string[];
  col: ValueColumn;
}

interface NameColumn {
  raw: Dictionary;
  rawOfDoc: Codes;
  sortKeyOfRaw: string[];
  searchKeyOfRaw: string[];
}

/**
 * The docs linked to one event. A Set answers "already linked?" for idempotent puts; big events also get
 * a bitset, made on first query and then kept in step, so a popular event costs one OR, not 100k inserts.
 */
class LinkSet {
  private readonly docs = new Set<number>();
  private bits: Uint32Array | undefined;

  get size(): number {
    return this.docs.size;
  }

  add(doc: number): boolean {
    if (this.docs.has(doc)) return false;
    this.docs.add(doc);
    if (this.bits) {
      if (doc >>> 5 >= this.bits.length) this.bits = grow(this.bits, wordsFor((doc + 1) * 2));
      setBit(this.bits, doc);
    }
    return true;
  }

  delete(doc: number): boolean {
    if (!this.docs.delete(doc)) return false;
    if (this.bits && doc >>> 5 < this.bits.length) clearBit(this.bits, doc);
    return true;
  }

  /** Makes the bitset once the set is big enough that one OR beats setting each bit. */
  prepare(capacity: number, bitsetMin = Math.max(4096, capacity >>> 7)): void {
    if (!this.bits && this.docs.size >= bitsetMin) {
      this.bits = new Uint32Array(wordsFor(capacity));
      for (const d of this.docs) setBit(this.bits, d);
    }
  }

  /** The exact bitset of the linked docs, if the set is big enough to keep one; read-only. */
  bitsFor(capacity: number, bitsetMin?: number): Uint32Array | undefined {
    this.prepare(capacity, bitsetMin);
    return this.bits;
  }

  orInto(target: Uint32Array, capacity: number, bitsetMin?: number): void {
    this.prepare(capacity, bitsetMin);
    if (this.bits) orInPlace(target, this.bits);
    else for (const d of this.docs) setBit(target, d);
  }
}

interface EventEntry {
  /** Undefined until the event itself arrives (a registration may come first). */
  endMs: number | undefined;
  regs: LinkSet;
  hosts: LinkSet;
}

const INITIAL_CAPACITY = 1024;
const SEARCH_INDEXES = ["email", "lastName", "fullName"] as const;
type SearchIndexName = (typeof SEARCH_INDEXES)[number];

/**
 * All mutable state of one index generation; `rebuild` fills a fresh one and swaps it in.
 * Docs are small ints; a user id maps to one doc for as long as the user or any link to it exists.
 */
export interface EngineOptions {
  /** Overlay size that triggers a merge into the base (default max(1024, live/128)); tests shrink it. */
  maxDirty?: number;
  /** Forces one page-selection strategy; tests use it to cover both. */
  pagePath?: "sparse" | "walk";
  /** Prefix matches at least this long are cached as bitsets (default 4096); tests lower it. */
  prefixCacheMinRun?: number;
  /** Size at which a posting list or an event's link set also gets a bitset; tests lower it. */
  bitsetMin?: number;
}

class EngineState {
  private capacity = INITIAL_CAPACITY;
  private words = wordsFor(INITIAL_CAPACITY);
  private nextDoc = 0;
  private readonly free: number[] = [];
  private readonly docOfId = new IdTable((doc) => this.idOfDoc[doc]!);
  private readonly idOfDoc: string[] = [];
  private live = new Uint32Array(this.words);
  private liveCount = 0;
  /** Registration + host links per doc; a removed user's doc is recycled only once this drops to 0. */
  private links = new Uint32Array(INITIAL_CAPACITY);
  private linkCount = 0;
  private hostLinkCount = 0;

  private readonly keyword: Record<KeywordField, KeywordColumn>;
  private readonly counts: Record<CountField, ValueColumn>;
  private readonly firstName: NameColumn;
  private readonly lastName: NameColumn;
  private readonly email: string[] = [];
  private readonly phone: (string | undefined)[] = [];
  private readonly avatar: (string | undefined)[] = [];
  private createdMs = new Float64Array(INITIAL_CAPACITY);
  /** Only createdAt strings that do not round-trip through toISOString are kept verbatim. */
  private readonly createdRaw = new Map<number, string>();

  private readonly events = new Map<string, EventEntry>();
  private knownEvents = 0;

  private readonly sortIndexes: Record<SortField, OrderIndex>;
  private readonly searchIndexes: Record<SearchIndexName, OrderIndex>;
  private pool: Uint32Array[] = [];

  constructor(private readonly options: EngineOptions = {}) {
    const maxDirty = options.maxDirty === undefined ? undefined : () => options.maxDirty!;
    const kw = (): KeywordColumn => ({
      raw: new Dictionary(),
      rawOfDoc: new Uint16Array(INITIAL_CAPACITY),
      normOfRaw: [0],
      norm: new Dictionary(),
      labelOfNorm: [""],
      col: new ValueColumn(INITIAL_CAPACITY, options.bitsetMin),
    });
    this.keyword = { company: kw(), jobTitle: kw(), city: kw(), state: kw(), gender: kw() };
    this.counts = {
      hostedEventCount: new ValueColumn(INITIAL_CAPACITY, options.bitsetMin),
      attendedEventCount: new ValueColumn(INITIAL_CAPACITY, options.bitsetMin),
    };
    const name = (): NameColumn => ({
      raw: new Dictionary(),
      rawOfDoc: new Uint16Array(INITIAL_CAPACITY),
      sortKeyOfRaw: [""],
      searchKeyOfRaw: [""],
    });
    this.firstName = name();
    this.lastName = name();
    const id = (doc: number) => this.idOfDoc[doc]!;
    const live = (doc: number) => hasBit(this.live, doc);
    const index = (key: (doc: number) => SortKey, withRank: boolean, coded?: OrderKeys["coded"]) =>
      new OrderIndex({ key, id, live, coded }, withRank, maxDirty, options.prefixCacheMinRun);
    const byName = (column: NameColumn, keyOfCode: string[]) => ({
      code: (d: number) => column.rawOfDoc[d]!,
      keyOfCode: () => keyOfCode,
    });
    const keyword = (field: KeywordField) => {
      const k = this.keyword[field];
      return index((d) => k.norm.values[k.col.code(d)]!, true, {
        code: (d) => k.col.code(d),
        keyOfCode: () => k.norm.values,
      });
    };
    const count = (col: ValueColumn) => index((d) => col.code(d) - 1, true);
    this.sortIndexes = {
      lastName: index(
        (d) => this.lastName.sortKeyOfRaw[this.lastName.rawOfDoc[d]!]!,
        true,
        byName(this.lastName, this.lastName.sortKeyOfRaw),
      ),
      firstName: index(
        (d) => this.firstName.sortKeyOfRaw[this.firstName.rawOfDoc[d]!]!,
        true,
        byName(this.firstName, this.firstName.sortKeyOfRaw),
      ),
      email: index((d) => normalizeKeyword(this.email[d]), true),
      company: keyword("company"),
      jobTitle: keyword("jobTitle"),
      city: keyword("city"),
      state: keyword("state"),
      createdAt: index((d) => this.createdMs[d]!, true),
      hostedEventCount: count(this.counts.hostedEventCount),
      attendedEventCount: count(this.counts.attendedEventCount),
    };
    this.searchIndexes = {
      email: index((d) => normalizeSearch(this.email[d] ?? ""), false),
      lastName: index(
        (d) => this.lastName.searchKeyOfRaw[this.lastName.rawOfDoc[d]!]!,
        false,
        byName(this.lastName, this.lastName.searchKeyOfRaw),
      ),
      fullName: index((d) => this.fullNameKey(d), false),
    };
  }

  /** Same as normalizeSearch(`${first} ${last}`), built from the per-name caches instead of stored per doc. */
  private fullNameKey(doc: number): string {
    const first = this.firstName.searchKeyOfRaw[this.firstName.rawOfDoc[doc]!]!;
    const last = this.lastName.searchKeyOfRaw[this.lastName.rawOfDoc[doc]!]!;
    if (first === "") return last;
    return last === "" ? first : `${first} ${last}`;
  }

  // ---- changes -------------------------------------------------------------------------------------

  apply(c: AudienceChange): void {
    switch (c.type) {
      case "user.upsert":
        return this.upsertUser(c.user);
      case "user.remove":
        return this.removeUser(c.id);
      case "event.upsert":
        return this.upsertEvent(c.event.id, parseTime(c.event.endAt));
      case "event.remove":
        return this.removeEvent(c.id);
      case "registration.put":
      case "host.put":
        return this.putLink(c.type === "host.put", c.eventId, c.userId);
      case "registration.remove":
      case "host.remove":
        return this.removeLink(c.type === "host.remove", c.eventId, c.userId);
    }
  }

  private docFor(id: string): number {
    const known = this.docOfId.get(id);
    if (known !== undefined) return known;
    const doc = this.free.pop() ?? this.nextDoc++;
    if (doc >= this.capacity) this.growTo(this.capacity * 2);
    this.idOfDoc[doc] = id;
    this.docOfId.add(id, doc);
    return doc;
  }

  private growTo(capacity: number): void {
    this.capacity = capacity;
    this.words = wordsFor(capacity);
    this.live = grow(this.live, this.words);
    this.links = grow(this.links, capacity);
    this.createdMs = grow(this.createdMs, capacity);
    for (const f of KEYWORD_FIELDS) {
      const k = this.keyword[f];
      k.rawOfDoc = grow(k.rawOfDoc, capacity);
      k.col.growTo(capacity);
    }
    this.counts.hostedEventCount.growTo(capacity);
    this.counts.attendedEventCount.growTo(capacity);
    this.firstName.rawOfDoc = grow(this.firstName.rawOfDoc, capacity);
    this.lastName.rawOfDoc = grow(this.lastName.rawOfDoc, capacity);
    this.pool = [];
  }

  /** Drops the id → doc mapping once neither a user nor a link refers to the doc. */
  private maybeFree(doc: number): void {
    if (hasBit(this.live, doc) || this.links[doc]! > 0) return;
    this.docOfId.delete(this.idOfDoc[doc]!);
    this.idOfDoc[doc] = "";
    this.free.push(doc);
  }

  private touch(index: OrderIndex, doc: number): void {
    index.touch(doc, this.liveCount);
  }

  private upsertUser(u: AudienceUser): void {
    const doc = this.docFor(u.id);
    const wasLive = hasBit(this.live, doc);
    const changed = new Set<SortField | SearchIndexName>();
    const note = (did: boolean, ...what: (SortField | SearchIndexName)[]) => {
      if (did || !wasLive) for (const w of what) changed.add(w);
    };

    for (const f of KEYWORD_FIELDS) {
      const k = this.keyword[f];
      const value = u[f];
      const rawCode = value === undefined ? 0 : k.raw.internVerbatim(value);
      if (rawCode === k.normOfRaw.length) {
        const normCode = k.norm.intern(normalizeKeyword(value));
        k.normOfRaw.push(normCode);
        if (normCode === k.labelOfNorm.length) k.labelOfNorm.push((value ?? "").trim());
      }
      k.rawOfDoc = setCode(k.rawOfDoc, doc, rawCode);
      const moved = k.col.set(doc, k.normOfRaw[rawCode]!);
      if (f !== "gender") note(moved, f);
    }
    note(this.counts.hostedEventCount.set(doc, u.hostedEventCount + 1), "hostedEventCount");
    note(this.counts.attendedEventCount.set(doc, u.attendedEventCount + 1), "attendedEventCount");

    note(this.setName(this.firstName, doc, u.firstName), "firstName", "fullName");
    note(this.setName(this.lastName, doc, u.lastName), "lastName", "fullName");
    note(this.email[doc] !== u.email, "email");
    this.email[doc] = u.email;
    this.phone[doc] = u.phoneNumber;
    this.avatar[doc] = u.avatar;

    const ms = parseTime(u.createdAt);
    note(this.createdMs[doc] !== ms, "createdAt");
    this.createdMs[doc] = ms;
    if (new Date(ms).toISOString() === u.createdAt) this.createdRaw.delete(doc);
    else this.createdRaw.set(doc, u.createdAt);

    if (!wasLive) {
      setBit(this.live, doc);
      this.liveCount += 1;
    }
    for (const w of changed) {
      if (w === "fullName") this.touch(this.searchIndexes.fullName, doc);
      else {
        this.touch(this.sortIndexes[w], doc);
        if (w === "email" || w === "lastName") this.touch(this.searchIndexes[w], doc);
      }
    }
  }

  private setName(column: NameColumn, doc: number, value: string): boolean {
    const code = column.raw.intern(value);
    if (code === column.sortKeyOfRaw.length) {
      column.sortKeyOfRaw.push(normalizeKeyword(value));
      column.searchKeyOfRaw.push(normalizeSearch(value));
    }
    const changed = column.rawOfDoc[doc] !== code;
    column.rawOfDoc = setCode(column.rawOfDoc, doc, code);
    return changed;
  }

  private removeUser(id: string): void {
    const doc = this.docOfId.get(id);
    if (doc === undefined || !hasBit(this.live, doc)) return;
    for (const f of KEYWORD_FIELDS) {
      this.keyword[f].col.set(doc, 0);
      this.keyword[f].rawOfDoc = setCode(this.keyword[f].rawOfDoc, doc, 0);
    }
    this.counts.hostedEventCount.set(doc, 0);
    this.counts.attendedEventCount.set(doc, 0);
    this.firstName.rawOfDoc = setCode(this.firstName.rawOfDoc, doc, 0);
    this.lastName.rawOfDoc = setCode(this.lastName.rawOfDoc, doc, 0);
    this.email[doc] = "";
    this.phone[doc] = undefined;
    this.avatar[doc] = undefined;
    this.createdRaw.delete(doc);
    clearBit(this.live, doc);
    this.liveCount -= 1;
    for (const f of SORT_FIELDS) this.touch(this.sortIndexes[f], doc);
    for (const s of SEARCH_INDEXES) this.touch(this.searchIndexes[s], doc);
    this.maybeFree(doc);
  }

  private eventFor(id: string): EventEntry {
    let e = this.events.get(id);
    if (!e) {
      e = { endMs: undefined, regs: new LinkSet(), hosts: new LinkSet() };
      this.events.set(id, e);
    }
    return e;
  }

  private upsertEvent(id: string, endMs: number): void {
    const e = this.eventFor(id);
    if (e.endMs === undefined) this.knownEvents += 1;
    e.endMs = endMs;
  }

  private removeEvent(id: string): void {
    const e = this.events.get(id);
    if (!e || e.endMs === undefined) return;
    e.endMs = undefined;
    this.knownEvents -= 1;
    if (e.regs.size === 0 && e.hosts.size === 0) this.events.delete(id);
  }

  private putLink(host: boolean, eventId: string, userId: string): void {
    const e = this.eventFor(eventId);
    const doc = this.docFor(userId);
    const set = host ? e.hosts : e.regs;
    if (!set.add(doc)) return;
    this.links[doc]! += 1;
    if (host) this.hostLinkCount += 1;
    else this.linkCount += 1;
  }

  private removeLink(host: boolean, eventId: string, userId: string): void {
    const e = this.events.get(eventId);
    const doc = this.docOfId.get(userId);
    if (!e || doc === undefined) return;
    const set = host ? e.hosts : e.regs;
    if (!set.delete(doc)) return;
    this.links[doc]! -= 1;
    if (host) this.hostLinkCount -= 1;
    else this.linkCount -= 1;
    if (e.endMs === undefined && e.regs.size === 0 && e.hosts.size === 0) this.events.delete(eventId);
    this.maybeFree(doc);
  }

  // ---- filter evaluation ---------------------------------------------------------------------------

  private alloc(): Uint32Array {
    const b = this.pool.pop();
    if (!b) return new Uint32Array(this.words);
    b.fill(0);
    return b;
  }

  release(bits: Uint32Array): void {
    if (bits.length === this.words && this.pool.length < 32) this.pool.push(bits);
  }

  /** Bitset of live docs matching the tree, and how many; the caller releases the bitset. */
  evaluate(tree: FilterTree, now: number): { bits: Uint32Array; total: number } {
    const bits = this.evalNode(tree, now);
    return { bits, total: andCount(bits, this.live) };
  }

  private evalNode(node: FilterNode, now: number): Uint32Array {
    if ("all" in node) {
      // Cheap, selective conditions first; once the running result is empty the rest are skipped.
      const [first, ...rest] = [...node.all].sort((a, b) => costOf(a) - costOf(b));
      if (!first) {
        const r = this.alloc();
        r.set(this.live);
        return r;
      }
      const r = this.evalNode(first, now);
      for (const child of rest) {
        // r AND NOT x needs no complement pass; anything outside live goes at the final AND.
        const negated = "not" in child;
        const inner = negated ? child.not : child;
        // A leaf that is exactly one kept bitset is ANDed straight from it: no copy, no extra pass.
        const source = this.leafSource(inner, now);
        if (source === null) {
          if (negated) continue;
          r.fill(0);
          break;
        }
        const x = source ?? this.evalNode(inner, now);
        const nonEmpty = negated ? andNotInPlace(r, x) : andInPlace(r, x);
        if (!source) this.release(x);
        if (!nonEmpty) break;
      }
      return r;
    }
    if ("any" in node) {
      const r = this.alloc();
      for (const child of node.any) {
        const x = this.evalNode(child, now);
        orInPlace(r, x);
        this.release(x);
      }
      return r;
    }
    if ("not" in node) {
      const r = this.evalNode(node.not, now);
      complementWithin(r, this.live);
      return r;
    }
    const r = this.alloc();
    if ("in" in node) {
      const k = this.keyword[node.field];
      for (const v of node.in) {
        const code = k.norm.lookup(normalizeKeyword(v));
        if (code) k.col.orInto(r, code);
      }
    } else if ("field" in node) {
      this.evalRange(r, this.counts[node.field], node.gte ?? 0, node.lte ?? Infinity);
    } else if ("q" in node) {
      this.evalPrefix(r, normalizeSearch(node.q));
    } else if ("registered" in node) {
      const e = this.events.get(node.registered.trim());
      e?.regs.orInto(r, this.capacity, this.options.bitsetMin);
    } else if ("hosted" in node) {
      const e = this.events.get(node.hosted.trim());
      e?.hosts.orInto(r, this.capacity, this.options.bitsetMin);
    } else {
      const e = this.events.get(node.attended.trim());
      if (e && e.endMs !== undefined && e.endMs <= now)
        e.regs.orInto(r, this.capacity, this.options.bitsetMin);
    }
    return r;
  }

  /**
   * For leaves whose match set is one bitset the index already keeps (a single frequent keyword value, a big
   * event's links): that bitset, read-only; null when the leaf matches nobody; undefined otherwise.
   */
  private leafSource(node: FilterNode, now: number): Uint32Array | null | undefined {
    if ("in" in node) {
      const k = this.keyword[node.field];
      let found: number | undefined;
      for (const v of node.in) {
        const code = k.norm.lookup(normalizeKeyword(v));
        if (!code || code === found) continue;
        if (found !== undefined) return undefined;
        found = code;
      }
      return found === undefined ? null : k.col.denseOf(found);
    }
    if ("registered" in node || "hosted" in node || "attended" in node) {
      const id = (
        "registered" in node ? node.registered : "hosted" in node ? node.hosted : node.attended
      ).trim();
      const e = this.events.get(id);
      if (!e) return null;
      if ("attended" in node && (e.endMs === undefined || e.endMs > now)) return null;
      const links = "hosted" in node ? e.hosts : e.regs;
      if (links.size === 0) return null;
      return links.bitsFor(this.capacity, this.options.bitsetMin);
    }
    return undefined;
  }

  /** Counters are stored as value + 1 (0 = no user), so the range shifts by one. */
  private evalRange(r: Uint32Array, col: ValueColumn, lo: number, hi: number): void {
    col.rangeInto(r, lo + 1, hi + 1);
  }

  private evalPrefix(r: Uint32Array, q: string): void {
    for (const name of SEARCH_INDEXES) {
      const index = this.searchIndexes[name];
      this.ensure(index);
      index.orPrefix(r, q);
      // forEach, not for-of over entries: no [doc, key] pair per overlay doc on every query.
      index.dirty.forEach((key, doc) => {
        if (hasBit(this.live, doc) && (key as string).startsWith(q)) setBit(r, doc);
      });
    }
  }

  private liveDocs(): Uint32Array {
    const out = new Uint32Array(this.liveCount);
    let n = 0;
    forEachBit(this.live, (d) => {
      out[n++] = d;
    });
    return out;
  }

  private ensure(index: OrderIndex): void {
    if (index.isBuilt()) return;
    const live = this.liveDocs();
    index.build(live, this.capacity, this.idRanks(live));
  }

  /** Ranks of the live docs by user id: the tie-break every order shares. */
  private idRanks(live: Uint32Array): IdRanks {
    const ids = new Array<string>(live.length);
    for (let i = 0; i < live.length; i++) ids[i] = this.idOfDoc[live[i]!]!;
    ids.sort();
    const docAt = new Uint32Array(live.length);
    const rankOf = new Uint32Array(this.capacity);
    for (let r = 0; r < ids.length; r++) {
      const doc = this.docOfId.get(ids[r]!)!;
      docAt[r] = doc;
      rankOf[doc] = r;
    }
    return { rankOf, docAt };
  }

  // ---- reading -------------------------------------------------------------------------------------

  count(tree: FilterTree, now: number): number {
    const { bits, total } = this.evaluate(tree, now);
    this.release(bits);
    return total;
  }

  query(q: AudienceQuery, now: number): AudiencePage {
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_PAGE_SIZE) {
      throw new ValidationError("Invalid limit.", [
        { field: "limit", message: `Use an integer from 1 to ${MAX_PAGE_SIZE}.` },
      ]);
    }
    const sort = q.sort ?? DEFAULT_SORT;
    const cursor: Cursor | undefined = q.cursor === undefined ? undefined : decodeCursor(q.cursor, sort);
    const { bits: matched, total } = this.evaluate(q.filter, now);
    try {
      const index = this.sortIndexes[sort.field];
      this.ensure(index);
      const desc = sort.order === "desc";
      const dir = desc ? -1 : 1;
      const skip = cursor?.kind === "offset" ? cursor.offset : 0;
      const need = skip + q.limit + 1;
      const after = cursor?.kind === "after" ? cursor : undefined;
      const { key, id } = index.keys;
      const candidates: number[] = [];
      index.dirty.forEach((k, doc) => {
        if (!hasBit(matched, doc)) return;
        if (after === undefined || dir * compareKeys(k, id(doc), after.key, after.id) > 0)
          candidates.push(doc);
      });
      const overlay = smallest(candidates, need, (a, b) => dir * index.compareDirty(a, b));

      const base = this.baseOrder(index, matched, total, need, desc, after);
      const merged: number[] = [];
      let i = 0;
      let j = 0;
      while (merged.length < need && (i < base.length || j < overlay.length)) {
        const b = base[i];
        const o = overlay[j];
        if (
          o === undefined ||
          (b !== undefined && dir * compareKeys(key(b), id(b), index.dirtyKey(o), id(o)) < 0)
        ) {
          merged.push(base[i++]!);
        } else merged.push(overlay[j++]!);
      }
      const page = merged.slice(skip, skip + q.limit);
      const last = page.at(-1);
      const more = merged.length > skip + q.limit;
      return {
        items: page.map((d) => this.user(d)),
        total,
        nextCursor:
          more && last !== undefined
            ? encodeCursor({
                kind: "after",
                field: sort.field,
                order: sort.order,
                key: key(last),
                id: id(last),
              })
            : null,
      };
    } finally {
      this.release(matched);
    }
  }

  /**
   * The first `need` clean matches in sort order after the cursor. Few matches: gather their ranks and sort
   * those. Many: walk the presorted permutation, which finds `need` hits within about need × N / total steps.
   */
  private baseOrder(
    index: OrderIndex,
    matched: Uint32Array,
    total: number,
    need: number,
    desc: boolean,
    after: Extract<Cursor, { kind: "after" }> | undefined,
  ): number[] {
    const perm = index.perm!;
    const { key, id } = index.keys;
    // asc: positions >= start; desc: positions < end.
    const start =
      after && !desc ? index.partition((d) => compareKeys(key(d), id(d), after.key, after.id) > 0) : 0;
    const end =
      after && desc
        ? index.partition((d) => compareKeys(key(d), id(d), after.key, after.id) >= 0)
        : perm.length;
    const out: number[] = [];
    const sparse =
      this.options.pagePath === undefined
        ? total <= 2048 || total * total * 4 < need * this.liveCount
        : this.options.pagePath === "sparse";
    if (sparse) {
      const rank = index.rank!;
      const ranks = new Uint32Array(total);
      let n = 0;
      forEachBit(matched, (doc) => {
        if (index.isDirty(doc)) return;
        const r = rank[doc]!;
        if (r >= start && r < end) ranks[n++] = r;
      });
      const sorted = ranks.subarray(0, n).sort();
      if (desc) for (let k = n - 1; k >= 0 && out.length < need; k--) out.push(perm[sorted[k]!]!);
      else for (let k = 0; k < n && out.length < need; k++) out.push(perm[sorted[k]!]!);
      return out;
    }
    const checkDirty = index.dirty.size > 0;
    if (desc) {
      for (let k = end - 1; k >= 0 && out.length < need; k--) {
        const doc = perm[k]!;
        if (hasBit(matched, doc) && !(checkDirty && index.isDirty(doc))) out.push(doc);
      }
    } else {
      for (let k = start; k < perm.length && out.length < need; k++) {
        const doc = perm[k]!;
        if (hasBit(matched, doc) && !(checkDirty && index.isDirty(doc))) out.push(doc);
      }
    }
    return out;
  }

  facets(
    tree: FilterTree,
    fields: FacetField[],
    topN: number,
    now: number,
  ): Partial<Record<FacetField, FacetBucket[]>> {
    const { bits: matched } = this.evaluate(tree, now);
    const tallies = fields.map((f) => ({
      f,
      k: this.keyword[f],
      counts: new Uint32Array(this.keyword[f].norm.size),
    }));
    forEachBit(matched, (doc) => {
      for (const t of tallies) t.counts[t.k.col.code(doc)]! += 1;
    });
    this.release(matched);
    const out: Partial<Record<FacetField, FacetBucket[]>> = {};
    for (const { f, k, counts } of tallies) {
      const buckets: FacetBucket[] = [];
      for (let code = 1; code < counts.length; code++) {
        const count = counts[code]!;
        if (count > 0) buckets.push({ value: k.norm.values[code]!, count, label: k.labelOfNorm[code]! });
      }
      buckets.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      out[f] = buckets.slice(0, topN);
    }
    return out;
  }

  private user(doc: number): AudienceUser {
    const u: AudienceUser = {
      id: this.idOfDoc[doc]!,
      firstName: this.firstName.raw.values[this.firstName.rawOfDoc[doc]!]!,
      lastName: this.lastName.raw.values[this.lastName.rawOfDoc[doc]!]!,
      email: this.email[doc]!,
      hostedEventCount: this.counts.hostedEventCount.code(doc) - 1,
      attendedEventCount: this.counts.attendedEventCount.code(doc) - 1,
      createdAt: this.createdRaw.get(doc) ?? new Date(this.createdMs[doc]!).toISOString(),
    };
    const phone = this.phone[doc];
    if (phone !== undefined) u.phoneNumber = phone;
    const avatar = this.avatar[doc];
    if (avatar !== undefined) u.avatar = avatar;
    for (const f of KEYWORD_FIELDS) {
      const k = this.keyword[f];
      const code = k.rawOfDoc[doc]!;
      // Raw code 0 means absent; "" has a code of its own (internVerbatim).
      if (code !== 0) u[f] = k.raw.values[code]!;
    }
    return u;
  }

  stats(): AudienceStats {
    let bytes = this.live.byteLength + this.links.byteLength + this.createdMs.byteLength;
    for (const f of KEYWORD_FIELDS) {
      const k = this.keyword[f];
      bytes += k.rawOfDoc.byteLength + k.col.approxBytes() + k.raw.approxBytes() + k.norm.approxBytes();
    }
    bytes += this.counts.hostedEventCount.approxBytes() + this.counts.attendedEventCount.approxBytes();
    bytes += this.firstName.rawOfDoc.byteLength + this.lastName.rawOfDoc.byteLength;
    bytes += this.firstName.raw.approxBytes() + this.lastName.raw.approxBytes();
    for (const index of [...Object.values(this.sortIndexes), ...Object.values(this.searchIndexes)]) {
      bytes += index.approxBytes();
    }
    // Per-doc strings (id, email, full name, phone, avatar): V8 header ~16 bytes + 1 byte per Latin-1 char.
    for (let d = 0; d < this.nextDoc; d++) {
      bytes += 8 * 6 + 16 + (this.idOfDoc[d]?.length ?? 0);
      if (this.email[d]) bytes += 16 + this.email[d]!.length;
      if (this.phone[d]) bytes += 16 + this.phone[d]!.length;
      if (this.avatar[d]) bytes += 16 + this.avatar[d]!.length;
    }
    bytes += this.docOfId.approxBytes() + this.linkCount * 24 + this.hostLinkCount * 24;
    return {
      users: this.liveCount,
      events: this.knownEvents,
      registrations: this.linkCount,
      hostLinks: this.hostLinkCount,
      memoryBytes: bytes,
    };
  }

  /** Builds the sort orders ahead of the first query (rebuilds and benchmarks call this). */
  warm(fields: readonly SortField[] = SORT_FIELDS): void {
    const indexes = [
      ...fields.map((f) => this.sortIndexes[f]),
      ...SEARCH_INDEXES.map((s) => this.searchIndexes[s]),
    ];
    for (const e of this.events.values()) {
      e.regs.prepare(this.capacity, this.options.bitsetMin);
      e.hosts.prepare(this.capacity, this.options.bitsetMin);
    }
    for (const f of KEYWORD_FIELDS) this.keyword[f].col.compact();
    this.counts.hostedEventCount.compact();
    this.counts.attendedEventCount.compact();
    if (indexes.every((i) => i.isBuilt())) return;
    const live = this.liveDocs();
    const ids = this.idRanks(live);
    for (const index of indexes) if (!index.isBuilt()) index.build(live, this.capacity, ids);
  }
}

/** The `need` smallest docs by cmp, in order; a bounded insertion keeps big overlays from a full sort. */
function smallest(docs: number[], need: number, cmp: (a: number, b: number) => number): number[] {
  if (docs.length <= need * 4) return docs.sort(cmp).slice(0, need);
  const top: number[] = [];
  for (const d of docs) {
    if (top.length === need && cmp(d, top[need - 1]!) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(top[mid]!, d) <= 0) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, d);
    if (top.length > need) top.pop();
  }
  return top;
}

/** Rough evaluation cost rank used to order the children of an `all`. */
function costOf(node: FilterNode): number {
  if ("in" in node || "registered" in node || "attended" in node || "hosted" in node) return 1;
  if ("q" in node) return 2;
  if ("field" in node) return 3;
  if ("not" in node) return 4;
  return 5;
}

/**
 * The embedded audience engine: columnar, dictionary-encoded, bitset-evaluated, in process. Design and the
 * rejected alternatives: docs/adr/0002-audience-engine.md. Not safe for use from several threads, which
 * Node does not do anyway; every method runs to completion before the next.
 */
export class MemoryAudienceIndex implements AudienceIndex {
  private state: EngineState;

  constructor(private readonly options: EngineOptions = {}) {
    this.state = new EngineState(options);
  }

  async applyChanges(changes: AudienceChange[]): Promise<void> {
    this.applySync(changes);
  }

  /** Synchronous variant for loaders and benchmarks. */
  applySync(changes: AudienceChange[]): void {
    for (const c of changes) this.state.apply(c);
  }

  async query(q: AudienceQuery): Promise<AudiencePage> {
    return this.state.query(q, (q.now ?? new Date()).getTime());
  }

  async count(filter: FilterTree, now?: Date): Promise<number> {
    return this.state.count(filter, (now ?? new Date()).getTime());
  }

  async facets(
    filter: FilterTree,
    fields: FacetField[],
    topN = 10,
    now?: Date,
  ): Promise<Partial<Record<FacetField, FacetBucket[]>>> {
    return this.state.facets(filter, fields, topN, (now ?? new Date()).getTime());
  }

  async rebuild(source: AsyncIterable<AudienceChange[]>): Promise<{ users: number; ms: number }> {
    const started = performance.now();
    const fresh = new EngineState(this.options);
    for await (const batch of source) for (const c of batch) fresh.apply(c);
    fresh.warm();
    this.state = fresh;
    return { users: fresh.stats().users, ms: Math.round(performance.now() - started) };
  }

  warm(fields?: readonly SortField[]): void {
    this.state.warm(fields);
  }

  stats(): AudienceStats {
    return this.state.stats();
  }
}
