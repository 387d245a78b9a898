import { z } from "zod";

/**
 * Runtime configuration, validated once on first use. Endpoint variables point the AWS SDK at the local
 * stand-ins; when they are absent the same code talks to real AWS through the SDK's default credential chain.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  DYNAMODB_ENDPOINT: z.url().optional(),
  DYNAMODB_TABLE: z.string().min(3).default("rally"),
  SES_ENDPOINT: z.url().optional(),
  SES_FROM_ADDRESS: z.string().min(3).default("Rally <events@rally.local>"),
  /** Messages per second sent to SES; when unset the account's SendQuota.MaxSendRate is used. */
  SES_MAX_SEND_RATE: z.coerce.number().positive().optional(),
  APP_URL: z.url().default("http://localhost:3000"),
  /** Signs click, open and unsubscribe tokens. Must be set (32+ chars) in production. */
  RALLY_SECRET: z.string().min(32).default("rally-local-development-secret-change-me-please"),
  /**
   * Shared secret for POST /api/ses/events outside production (header `x-rally-ses-secret` or `?secret=`).
   * Production verifies the SNS message signature instead.
   */
  SES_EVENTS_SECRET: z.string().min(16).optional(),
  /**
   * Comma-separated SNS topic ARNs whose messages POST /api/ses/events accepts. A valid SNS signature only
   * proves the message came from some topic in some AWS account, so without this list anyone's topic could
   * report bounces and complaints. Blank counts as unset.
   */
  SES_EVENTS_TOPIC_ARNS: z
    .string()
    .optional()
    .transform((s) => {
      const arns = (s ?? "")
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean);
      return arns.length > 0 ? arns : undefined;
    })
    .pipe(
      z
        .array(
          z
            .string()
            // A subscription ARN (topic ARN plus ":<uuid>") is an easy paste mistake; it would never match.
            .regex(
              /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/,
              "Each entry must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>).",
            ),
        )
        .optional(),
    ),
  AUDIENCE_ENGINE: z.enum(["embedded", "opensearch"]).default("embedded"),
  OPENSEARCH_URL: z.url().optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${lines}\nSee .env.example.`);
  }
  if (parsed.data.NODE_ENV === "production" && !process.env.RALLY_SECRET && !parsed.data.DYNAMODB_ENDPOINT) {
    throw new Error("RALLY_SECRET must be set in production (32+ random characters).");
  }
  cached = parsed.data;
  return cached;
}

/** Tests that point the app at freshly started stand-ins call this after changing process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** True when the SDK should use the local stand-ins rather than the default AWS credential chain. */
export function usesLocalAws(env: Env = getEnv()): boolean {
  return env.DYNAMODB_ENDPOINT !== undefined;
}
