import "server-only";

import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetAccountCommand, type SESv2Client } from "@aws-sdk/client-sesv2";

import { getRawDb, tableName } from "@/lib/db/client";
import { createSesClient } from "@/lib/email/ses-mailer";
import { getEnv, usesLocalAws } from "@/lib/env";

export interface DependencyHealth {
  ok: boolean;
  latencyMs: number;
}

export interface Health {
  status: "ok" | "degraded" | "down";
  dynamodb: DependencyHealth;
  ses: DependencyHealth;
}

const TIMEOUT_MS = 2000;

async function probe(check: (signal: AbortSignal) => Promise<boolean>): Promise<DependencyHealth> {
  const started = performance.now();
  let ok: boolean;
  try {
    ok = await check(AbortSignal.timeout(TIMEOUT_MS));
  } catch {
    ok = false;
  }
  return { ok, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
}

let ses: { key: string; client: SESv2Client } | undefined;
function sesClient(): SESv2Client {
  const env = getEnv();
  const key = `${env.SES_ENDPOINT ?? "aws"}|${env.AWS_REGION}`;
  if (ses?.key !== key) {
    ses = { key, client: createSesClient(env) };
  }
  return ses.client;
}

/**
 * Probes DynamoDB (DescribeTable) and SES (GetAccount) with a 2 s timeout each. Never throws.
 * DynamoDB down → "down"; SES down only → "degraded".
 */
export async function checkHealth(): Promise<Health> {
  const [dynamodb, sesHealth] = await Promise.all([
    probe(async (abortSignal) => {
      await getRawDb().send(new DescribeTableCommand({ TableName: tableName() }), { abortSignal });
      return true;
    }),
    probe(async (abortSignal) => {
      try {
        await sesClient().send(new GetAccountCommand({}), { abortSignal });
        return true;
      } catch (error) {
        // The local emulator answers GetAccount with 400 unless configured: any HTTP answer means reachable.
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        return usesLocalAws() && status !== undefined && status < 500;
      }
    }),
  ]);
  const status = !dynamodb.ok ? "down" : sesHealth.ok ? "ok" : "degraded";
  return { status, dynamodb, ses: sesHealth };
}
