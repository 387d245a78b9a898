import { createServer, type Server } from "node:net";

/** A fixed port the stand-ins were asked for is taken; the message says what to do about it. */
export class PortInUseError extends Error {
  readonly port: number;

  constructor(port: number, service: string, envVar: string) {
    super(
      `Port ${port} (${service}) is already in use: stop the other process or choose another port with ${envVar}.`,
    );
    this.name = "PortInUseError";
    this.port = port;
  }
}

/** Listens `server` on host:port (0 = any free port) and resolves the bound port; throws PortInUseError. */
export function listen(
  server: Pick<Server, "listen" | "once" | "off" | "address">,
  host: string,
  port: number,
  service: string,
  envVar: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === "EADDRINUSE" ? new PortInUseError(port, service, envVar) : err);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}

/** A port free on `host` right now (the OS picks it); another process may still take it before you do. */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  const probe = createServer();
  const port = await listen(probe, host, 0, "probe", "PORT");
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Throws PortInUseError when host:port cannot be bound now. */
export async function assertPortFree(
  host: string,
  port: number,
  service: string,
  envVar: string,
): Promise<void> {
  const probe = createServer();
  await listen(probe, host, port, service, envVar);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
