import { startDynamoStandIn } from "@/dev/dynamodb/server";
import type { FaultConfig } from "@/dev/dynamodb/faults";
import { startSesEmulator } from "@/dev/ses";

export { PortInUseError } from "@/dev/ports";
export type { FaultConfig } from "@/dev/dynamodb/faults";

export interface LocalAwsOptions {
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0 = a free port. */
  dynamoPort?: number;
  /** Default 0 = a free port. */
  sesPort?: number;
  /** Undefined = in memory; else dynalite data, the stream log and TTL settings are kept there. */
  dataDir?: string;
  faults?: FaultConfig;
  /** How often expired TTL items are removed; default 1000. */
  ttlSweepMs?: number;
}

export interface LocalAws {
  /** DynamoDB and DynamoDB Streams APIs on this one port. */
  dynamoEndpoint: string;
  /** aws-ses-v2-local. */
  sesEndpoint: string;
  setFaults(f: FaultConfig): void;
  /** Closes everything; idempotent. */
  stop(): Promise<void>;
}

/** SDK client settings for the stand-ins: any region, fixed dummy credentials (never the default chain). */
export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
}

/**
 * Starts the DynamoDB stand-in and the SES emulator on loopback.
 * Throws PortInUseError when a fixed port is taken.
 */
export async function startLocalAws(opts: LocalAwsOptions = {}): Promise<LocalAws> {
  const host = opts.host ?? "127.0.0.1";
  const dynamo = await startDynamoStandIn({
    host,
    port: opts.dynamoPort ?? 0,
    dataDir: opts.dataDir,
    faults: opts.faults,
    ttlSweepMs: opts.ttlSweepMs,
  });
  let ses;
  try {
    ses = await startSesEmulator({ host, port: opts.sesPort ?? 0 });
  } catch (err) {
    await dynamo.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    dynamoEndpoint: dynamo.endpoint,
    sesEndpoint: ses.endpoint,
    setFaults: (f) => dynamo.setFaults(f),
    stop() {
      stopping ??= Promise.all([dynamo.close(), ses.close()]).then(() => undefined);
      return stopping;
    },
  };
}
