import { type AddressInfo } from "node:net";

import sesLocal from "aws-ses-v2-local";

/*
 * Test fixture: the aws-ses-v2-local emulator on a free loopback port, in this process. Tests read what was
 * "sent" from GET /store. Switch to dev/ses.ts once the stand-in module exports an equivalent.
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
  // The package is CommonJS with a `default` export; under ESM interop it can arrive wrapped once more.
  const mod = sesLocal as unknown as { default?: typeof sesLocal };
  const start = (typeof mod.default === "function" ? mod.default : sesLocal) as typeof sesLocal;
  const server = await start({ host: "127.0.0.1", port: 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
