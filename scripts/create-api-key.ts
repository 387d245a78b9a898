/**
 * `npm run api-key:create -- --name "CI" --scopes read,write`: creates an API key in the table at
 * DYNAMODB_ENDPOINT (or real DynamoDB when unset) and prints the secret once. Only its hash is stored.
 */
import { parseArgs } from "node:util";

import { createApiKey } from "@/lib/api-keys/create-api-key";
import { systemCtx } from "@/lib/context";
import { ensureTable } from "@/lib/db/table";

const { values } = parseArgs({
  options: { name: { type: "string" }, scopes: { type: "string", default: "read" } },
});

if (!values.name) {
  console.error('Usage: npm run api-key:create -- --name "My integration" --scopes read,write');
  process.exit(2);
}

try {
  await ensureTable();
  const { key, secret } = await createApiKey({
    ctx: systemCtx("create-api-key script"),
    input: {
      name: values.name,
      scopes: values.scopes.split(",").map((s) => s.trim()) as Array<"read" | "write">,
    },
  });
  console.log(`Created API key "${key.name}" (id ${key.id}, scopes ${key.scopes.join(",")}).`);
  console.log("Store it now; it cannot be shown again:\n");
  console.log(`  ${secret}\n`);
} catch (error) {
  const issues = (error as { issues?: Array<{ path: unknown[]; message: string }> }).issues;
  if (issues) console.error(issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
  else console.error(error);
  process.exit(1);
}
