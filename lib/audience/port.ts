import type {
  AudienceChange,
  AudiencePage,
  AudienceQuery,
  FacetBucket,
  FacetField,
  FilterTree,
} from "@/lib/audience/schemas";

export type {
  AudienceChange,
  AudiencePage,
  AudienceQuery,
  AudienceUser,
  FacetBucket,
  FacetField,
  FilterTree,
  SortSpec,
} from "@/lib/audience/schemas";

export interface AudienceStats {
  users: number;
  events: number;
  /** Registration and host links currently held. */
  registrations: number;
  hostLinks: number;
  memoryBytes?: number;
}

/**
 * The audience read model. The embedded engine (lib/audience/engine) implements it today; an OpenSearch
 * adapter can implement it later (docs/scale.md) without callers changing.
 */
export interface AudienceIndex {
  /** Applies changes in order. Each is idempotent; order across different items does not matter. */
  applyChanges(changes: AudienceChange[]): Promise<void>;
  /**
   * One page in (sort field, user id) order.
   * @throws ValidationError (field "cursor") when the cursor is malformed or was made for another sort.
   */
  query(q: AudienceQuery): Promise<AudiencePage>;
  count(filter: FilterTree, now?: Date): Promise<number>;
  /** Top values per field among the matching users, by count descending then value. */
  facets(
    filter: FilterTree,
    fields: FacetField[],
    topN?: number,
    now?: Date,
  ): Promise<Partial<Record<FacetField, FacetBucket[]>>>;
  /**
   * Builds a fresh index from the source and swaps it in when done; queries meanwhile see the old one.
   * Changes applied during a rebuild land in the old index only, so a consumer replays from a stream
   * position taken before the rebuild started (see lib/audience/sync).
   */
  rebuild(source: AsyncIterable<AudienceChange[]>): Promise<{ users: number; ms: number }>;
  stats(): AudienceStats;
}
