import { createHmac, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from "@/lib/api-keys/secret";
import { getApiKeyByHash, insertApiKey } from "@/lib/db/api-keys-repo";
import { usesLocalAws } from "@/lib/env";
import { ConflictError } from "@/lib/errors";

const SECRET_FILE = "demo-api-key.secret";

async function localSecret(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, SECRET_FILE);
  try {
    const existing = Buffer.from((await readFile(file, "utf8")).trim(), "base64url");
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, secret.toString("base64url"), { mode: 0o600 });
  return secret;
}

/**
 * Returns the local demo API key (read + write), creating its record on first use. The key is derived
 * from a random secret kept in `.data/` (never committed), so every `npm run dev` can print the same key
 * while the table stores only its hash. Refuses to run against real AWS.
 * @throws Error when DYNAMODB_ENDPOINT is not set (real AWS).
 */
export async function ensureDemoApiKey(opts: { dataDir?: string } = {}): Promise<string> {
  if (!usesLocalAws()) throw new Error("ensureDemoApiKey is for the local stand-in only.");
  const dataDir = opts.dataDir ?? process.env.RALLY_DATA_DIR ?? path.resolve(".data");
  const seed = createHmac("sha256", await localSecret(dataDir))
    .update("rally-demo-api-key-v1")
    .digest();
  const secret = generateApiKeySecret(seed);
  const hash = hashApiKeySecret(secret);
  const existing = await getApiKeyByHash(hash);
  if (existing && !existing.revokedAt) return secret;
  if (existing)
    throw new Error("The demo API key was revoked; delete .data/demo-api-key.secret to mint a new one.");
  try {
    await insertApiKey(hash, {
      id: `demo-${hash.slice(0, 12)}`,
      name: "Local demo key",
      prefix: displayPrefix(secret),
      scopes: ["read", "write"],
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error; // a concurrent caller stored it first
  }
  return secret;
}
