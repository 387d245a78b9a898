import type { AudienceChange, AudienceUser } from "@/lib/audience/schemas";

type Item = Record<string, unknown>;

const OPTIONAL = ["phoneNumber", "avatar", "gender", "jobTitle", "company", "city", "state"] as const;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const int = (v: unknown): number => {
  const n = Number(v ?? 0);
  return Number.isFinite(n) && n >= 0 ? Math.trunc(n) : 0;
};

function toAudienceUser(item: Item): AudienceUser | undefined {
  const id = str(item.id);
  if (!id) return undefined;
  const user: AudienceUser = {
    id,
    firstName: str(item.firstName) ?? "",
    lastName: str(item.lastName) ?? "",
    email: str(item.email) ?? "",
    hostedEventCount: int(item.hostedEventCount),
    attendedEventCount: int(item.attendedEventCount),
    createdAt: str(item.createdAt) ?? "",
  };
  for (const f of OPTIONAL) {
    const v = str(item[f]);
    if (v !== undefined) user[f] = v;
  }
  return user;
}

/**
 * The audience changes one stored item stands for (docs/data-model.md): users, events, host links and
 * registrations; everything else maps to nothing. `present` = the item exists after the write (INSERT,
 * MODIFY, or a Scan row); false for a REMOVE, where `item` is the old image. Items being deleted
 * (`deletingAt` set) are already invisible to reads, so they leave the audience at once.
 */
export function changesForItem(item: Item | undefined, present: boolean): AudienceChange[] {
  if (!item) return [];
  const gone = !present || item.deletingAt !== undefined;
  switch (item.entity) {
    case "User": {
      const id = str(item.id);
      if (!id) return [];
      if (gone) return [{ type: "user.remove", id }];
      const user = toAudienceUser(item);
      return user ? [{ type: "user.upsert", user }] : [];
    }
    case "Event": {
      const id = str(item.id);
      if (!id) return [];
      if (gone) return [{ type: "event.remove", id }];
      const startAt = str(item.startAt);
      const endAt = str(item.endAt);
      return startAt && endAt ? [{ type: "event.upsert", event: { id, startAt, endAt } }] : [];
    }
    case "HostLink":
    case "Registration": {
      const eventId = str(item.eventId);
      const userId = str(item.userId);
      if (!eventId || !userId) return [];
      const kind = item.entity === "HostLink" ? "host" : "registration";
      return [{ type: `${kind}.${present ? "put" : "remove"}`, eventId, userId }];
    }
    default:
      return [];
  }
}

/** Entities the audience follows; a Scan filters on these. */
export const AUDIENCE_ENTITIES = ["User", "Event", "HostLink", "Registration"] as const;
