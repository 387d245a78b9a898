import type { Server } from "node:http";

import sesLocal from "aws-ses-v2-local";

import { assertPortFree, findFreePort } from "@/dev/ports";

// The package is CommonJS with `exports.default`: Node's ESM loader hands over the exports object, bundlers the
// function itself.
const startServer = (sesLocal as unknown as { default?: typeof sesLocal }).default ?? sesLocal;

export interface SesEmulator {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local on host:port (0 = a free port). Its store is process-wide: two emulators in one process
 * share sent mail, so tests clear it with `POST /clear-store` or filter by recipient.
 * Throws PortInUseError when a fixed port is taken.
 */
export async function startSesEmulator(opts: { host?: string; port?: number } = {}): Promise<SesEmulator> {
  const host = opts.host ?? "127.0.0.1";
  // The emulator never rejects when listening fails (the error is emitted with no listener), so check first.
  const port = opts.port
    ? (await assertPortFree(host, opts.port, "SES", "SES_PORT"), opts.port)
    : await findFreePort(host);
  const server: Server = await startServer({ host, port });
  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
