/**
 * `npm run member:create -- --email ada@example.com --name "Ada" --role admin [--password-stdin]`: adds a
 * dashboard member to the table at DYNAMODB_ENDPOINT (or real DynamoDB when unset). The password is read
 * from stdin, never from argv (shell history); without it the member signs in by magic link.
 */
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";

import { systemCtx } from "@/lib/context";
import { ensureTable } from "@/lib/db/table";
import { createMember } from "@/lib/members/create-member";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "organizer" },
    "password-stdin": { type: "boolean", default: false },
  },
});

if (!values.email || !values.name) {
  console.error(
    'Usage: echo "$PASSWORD" | npm run member:create -- --email ada@example.com --name "Ada" --role admin|organizer|viewer --password-stdin',
  );
  process.exit(2);
}

try {
  const password = values["password-stdin"] ? (await text(process.stdin)).replace(/\r?\n$/, "") : undefined;
  await ensureTable();
  const member = await createMember({
    ctx: systemCtx("create-member script"),
    input: { email: values.email, name: values.name, role: values.role as "admin", password },
  });
  console.log(
    `Added ${member.name} <${member.email}> as ${member.role}; signs in by ${member.hasPassword ? "password or magic link" : "magic link"}.`,
  );
} catch (error) {
  const issues = (error as { issues?: Array<{ path: unknown[]; message: string }> }).issues;
  if (issues) console.error(issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
