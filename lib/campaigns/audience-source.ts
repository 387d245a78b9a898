import { MemoryAudienceIndex } from "@/lib/audience/engine/memory-audience-index";
import { type AudienceIndex } from "@/lib/audience/port";
import { scanChanges } from "@/lib/audience/sync/stream-consumer";
import { getRawDb, tableName } from "@/lib/db/client";

/*
 * Where campaign sends read the audience from. The app registers the live read model
 * (`getAudienceIndex` from lib/audience/service.ts) with `setAudienceIndexProvider`; until then, and in
 * scripts, each call builds a fresh index from a consistent Scan of the table: slower, but exact, and it
 * never sees a user twice.
 */

type Provider = () => Promise<AudienceIndex>;

let provider: Provider | undefined;

/** Registers the live audience index (replacing any earlier registration); undefined restores the default. */
export function setAudienceIndexProvider(next: Provider | undefined): void {
  provider = next;
}

async function scannedIndex(): Promise<AudienceIndex> {
  const index = new MemoryAudienceIndex();
  await index.rebuild(scanChanges(getRawDb(), tableName(), 4));
  return index;
}

/** The audience index a send resolves its filter against. */
export function getCampaignAudienceIndex(): Promise<AudienceIndex> {
  return (provider ?? scannedIndex)();
}
