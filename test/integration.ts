/**
 * Shared fixture for *.int.test.ts: each test file gets its own in-memory DynamoDB stand-in and SES
 * emulator on free loopback ports, a fresh table, and API keys (read+write, read-only, revoked).
 */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll } from "vitest";

import { type FaultConfig, type LocalAws, startLocalAws } from "@/dev/local-aws";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/create-api-key";
import { type Ctx, systemCtx } from "@/lib/context";
import { ensureTable } from "@/lib/db/table";
import { resetEnvCache } from "@/lib/env";

export interface IntegrationFixture {
  aws: LocalAws;
  /** Full-rights context for calling verbs directly. */
  ctx: Ctx;
  /** read + write key. */
  writeKey: string;
  readKey: string;
  revokedKey: string;
  setFaults(f: FaultConfig): void;
}

/** Registers beforeAll/afterAll hooks; read the returned object inside tests only. */
export function setupIntegration(opts: { faults?: FaultConfig } = {}): IntegrationFixture {
  const fixture = {} as IntegrationFixture;
  beforeAll(async () => {
    const aws = await startLocalAws({ faults: opts.faults });
    process.env.DYNAMODB_ENDPOINT = aws.dynamoEndpoint;
    process.env.SES_ENDPOINT = aws.sesEndpoint;
    process.env.DYNAMODB_TABLE = `rally-test-${randomUUID().slice(0, 8)}`;
    resetEnvCache();
    await ensureTable();
    const ctx = systemCtx("integration-test");
    // Keys are created with faults off so setup never flakes; tests switch faults on themselves.
    aws.setFaults({});
    const write = await createApiKey({ ctx, input: { name: "test write", scopes: ["read", "write"] } });
    const read = await createApiKey({ ctx, input: { name: "test read", scopes: ["read"] } });
    const revoked = await createApiKey({ ctx, input: { name: "test revoked", scopes: ["read", "write"] } });
    await revokeApiKey({ ctx, input: { id: revoked.key.id } });
    if (opts.faults) aws.setFaults(opts.faults);
    Object.assign(fixture, {
      aws,
      ctx,
      writeKey: write.secret,
      readKey: read.secret,
      revokedKey: revoked.secret,
      setFaults: (f: FaultConfig) => aws.setFaults(f),
    });
  });
  afterAll(async () => {
    await fixture.aws?.stop();
  });
  return fixture;
}

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  headers?: Record<string, string>;
}

/** Builds a Request the way Next would hand it to a route handler. */
export function apiRequest(method: string, path: string, opts: CallOptions = {}): Request {
  const headers = new Headers(opts.headers);
  if (opts.key) headers.set("authorization", `Bearer ${opts.key}`);
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`http://127.0.0.1${path}`, { method, headers, body });
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler and returns status, headers and parsed JSON (null when empty). */
export async function call(
  handler: Handler,
  method: string,
  path: string,
  params: Record<string, string> = {},
  opts: CallOptions = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await handler(apiRequest(method, path, opts), { params: Promise.resolve(params) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
