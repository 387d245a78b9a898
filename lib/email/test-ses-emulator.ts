import { startSesEmulator as startEmulator } from "@/dev/ses";

/*
 * Test fixture: the aws-ses-v2-local emulator (dev/ses.ts) on a free loopback port, in this process, plus
 * readers for what it "sent" (GET /store) and a reset (POST /clear-store, which also drops templates).
 */

export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

export interface SesEmulator {
  endpoint: string;
  emails(): Promise<StoredEmail[]>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

export async function startSesEmulator(): Promise<SesEmulator> {
  const emulator = await startEmulator();
  return { ...sesStoreReader(emulator.endpoint), close: () => emulator.close() };
}

/** Store readers for an emulator someone else started (e.g. startLocalAws's sesEndpoint). */
export function sesStoreReader(endpoint: string): Omit<SesEmulator, "close"> {
  return {
    endpoint,
    async emails() {
      const res = await fetch(`${endpoint}/store`);
      const json = (await res.json()) as { emails: StoredEmail[] };
      return json.emails;
    },
    async clear() {
      await fetch(`${endpoint}/clear-store`, { method: "POST" });
    },
  };
}
