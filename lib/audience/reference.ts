import { decodeCursor, encodeCursor } from "@/lib/audience/cursor";
import {
  compareKeys,
  normalizeKeyword,
  normalizeSearch,
  parseTime,
  searchKeys,
  sortKeyOf,
} from "@/lib/audience/normalize";
import type { AudienceIndex, AudienceStats } from "@/lib/audience/port";
import {
  DEFAULT_SORT,
  type AudienceChange,
  type AudienceEvent,
  type AudiencePage,
  type AudienceQuery,
  type AudienceUser,
  type FacetBucket,
  type FacetField,
  type FilterNode,
  type FilterTree,
} from "@/lib/audience/schemas";

const edge = (eventId: string, userId: string) => `${eventId}\u0000${userId}`;

/**
 * The brute-force oracle for property tests: plain maps, a full array filter and a full sort per query.
 * Written for obviousness, not speed; the embedded engine must return exactly what this returns.
 */
export class ReferenceAudienceIndex implements AudienceIndex {
  private users = new Map<string, AudienceUser>();
  private events = new Map<string, AudienceEvent>();
  private registrations = new Set<string>();
  private hosts = new Set<string>();

  async applyChanges(changes: AudienceChange[]): Promise<void> {
    for (const c of changes) {
      switch (c.type) {
        case "user.upsert":
          this.users.set(c.user.id, c.user);
          break;
        case "user.remove":
          this.users.delete(c.id);
          break;
        case "event.upsert":
          this.events.set(c.event.id, c.event);
          break;
        case "event.remove":
          this.events.delete(c.id);
          break;
        case "registration.put":
          this.registrations.add(edge(c.eventId, c.userId));
          break;
        case "registration.remove":
          this.registrations.delete(edge(c.eventId, c.userId));
          break;
        case "host.put":
          this.hosts.add(edge(c.eventId, c.userId));
          break;
        case "host.remove":
          this.hosts.delete(edge(c.eventId, c.userId));
          break;
      }
    }
  }

  private matches(node: FilterNode, u: AudienceUser, now: number): boolean {
    if ("all" in node) return node.all.every((n) => this.matches(n, u, now));
    if ("any" in node) return node.any.some((n) => this.matches(n, u, now));
    if ("not" in node) return !this.matches(node.not, u, now);
    if ("q" in node) {
      const q = normalizeSearch(node.q);
      const keys = searchKeys(u);
      return keys.email.startsWith(q) || keys.lastName.startsWith(q) || keys.fullName.startsWith(q);
    }
    if ("registered" in node) return this.registrations.has(edge(node.registered.trim(), u.id));
    if ("hosted" in node) return this.hosts.has(edge(node.hosted.trim(), u.id));
    if ("attended" in node) {
      const id = node.attended.trim();
      const event = this.events.get(id);
      return event !== undefined && parseTime(event.endAt) <= now && this.registrations.has(edge(id, u.id));
    }
    if ("in" in node) {
      const value = normalizeKeyword(u[node.field]);
      return value !== "" && node.in.some((v) => normalizeKeyword(v) === value);
    }
    const n = u[node.field];
    return (node.gte === undefined || n >= node.gte) && (node.lte === undefined || n <= node.lte);
  }

  private matching(filter: FilterTree, now?: Date): AudienceUser[] {
    const t = (now ?? new Date()).getTime();
    return [...this.users.values()].filter((u) => this.matches(filter, u, t));
  }

  async query(q: AudienceQuery): Promise<AudiencePage> {
    const sort = q.sort ?? DEFAULT_SORT;
    const dir = sort.order === "asc" ? 1 : -1;
    const rows = this.matching(q.filter, q.now)
      .map((u) => ({ u, k: sortKeyOf(u, sort.field) }))
      .sort((a, b) => dir * compareKeys(a.k, a.u.id, b.k, b.u.id));
    let start = 0;
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor, sort);
      start =
        c.kind === "offset"
          ? c.offset
          : rows.findIndex((r) => dir * compareKeys(r.k, r.u.id, c.key, c.id) > 0);
      if (start < 0) start = rows.length;
    }
    const page = rows.slice(start, start + q.limit);
    const last = page.at(-1);
    const more = start + q.limit < rows.length;
    return {
      items: page.map((r) => r.u),
      total: rows.length,
      nextCursor:
        more && last
          ? encodeCursor({ kind: "after", field: sort.field, order: sort.order, key: last.k, id: last.u.id })
          : null,
    };
  }

  async count(filter: FilterTree, now?: Date): Promise<number> {
    return this.matching(filter, now).length;
  }

  async facets(
    filter: FilterTree,
    fields: FacetField[],
    topN = 10,
    now?: Date,
  ): Promise<Partial<Record<FacetField, FacetBucket[]>>> {
    const rows = this.matching(filter, now);
    const out: Partial<Record<FacetField, FacetBucket[]>> = {};
    for (const field of fields) {
      const counts = new Map<string, number>();
      for (const u of rows) {
        const v = normalizeKeyword(u[field]);
        if (v !== "") counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      out[field] = [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, topN);
    }
    return out;
  }

  async rebuild(source: AsyncIterable<AudienceChange[]>): Promise<{ users: number; ms: number }> {
    const started = Date.now();
    const fresh = new ReferenceAudienceIndex();
    for await (const batch of source) await fresh.applyChanges(batch);
    Object.assign(this, {
      users: fresh.users,
      events: fresh.events,
      registrations: fresh.registrations,
      hosts: fresh.hosts,
    });
    return { users: this.users.size, ms: Date.now() - started };
  }

  stats(): AudienceStats {
    return {
      users: this.users.size,
      events: this.events.size,
      registrations: this.registrations.size,
      hostLinks: this.hosts.size,
    };
  }
}
