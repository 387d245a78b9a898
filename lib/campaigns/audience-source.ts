import { MemoryAudienceIndex } from "@/lib/audience/engine/memory-audience-index";
import { type AudienceIndex } from "@/lib/audience/port";
import { scanChanges } from "@/lib/audience/sync/stream-consumer";
import { getRawDb, tableName } from "@/lib/db/client";

/*
 * Where campaign sends read the audience from. Inside the Next server (NEXT_RUNTIME set) it is the live read
 * model, `getAudienceIndex()` (built once, following the stream: a user created a moment ago may not be in it
 * yet). Elsewhere — tests, tsx scripts — each call builds a fresh index from a consistent Scan of the table:
 * O(table) per call, but exact. `setAudienceIndexProvider` overrides both.
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

async function liveIndex(): Promise<AudienceIndex> {
  // Imported lazily: the module is server-only and keeps a stream consumer running once loaded.
  const { getAudienceIndex } = await import("@/lib/audience/get-audience-index");
  return getAudienceIndex();
}

/** The audience index a send resolves its filter against. */
export function getCampaignAudienceIndex(): Promise<AudienceIndex> {
  if (provider) return provider();
  return process.env.NEXT_RUNTIME ? liveIndex() : scannedIndex();
}
