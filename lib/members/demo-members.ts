import { systemCtx } from "@/lib/context";
import { getMember } from "@/lib/db/members-repo";
import { usesLocalAws } from "@/lib/env";
import { ConflictError } from "@/lib/errors";
import { createMember } from "@/lib/members/create-member";

// No "server-only": scripts/stack.ts (tsx) calls ensureDemoMember() before printing the dev banner.

/** Local-only credentials of the demo members; never created outside the local stand-ins. */
export const DEMO_ADMIN = { email: "admin@rally.local", password: "rally-demo-admin", name: "Demo Admin" };
export const DEMO_ORGANIZER = {
  email: "organizer@rally.local",
  password: "rally-demo-organizer",
  name: "Demo Organizer",
};
export const DEMO_VIEWER = {
  email: "viewer@rally.local",
  password: "rally-demo-viewer",
  name: "Demo Viewer",
};

async function ensure(
  demo: { email: string; password: string; name: string },
  role: "admin" | "organizer" | "viewer",
) {
  if (await getMember(demo.email)) return;
  try {
    await createMember({ ctx: systemCtx("demo-members"), input: { ...demo, role } });
  } catch (error) {
    // Another process created it between the read and the write: same outcome.
    if (!(error instanceof ConflictError)) throw error;
  }
}

/**
 * Creates the demo admin, organizer and viewer when missing (idempotent) and returns the admin's sign-in.
 * Existing members are left as they are, password included.
 * @throws Error when not pointed at the local stand-in.
 */
export async function ensureDemoMember(): Promise<{ email: string; password: string }> {
  // Known passwords must never reach a real table.
  if (!usesLocalAws()) throw new Error("ensureDemoMember() only runs against the local DynamoDB stand-in.");
  await ensure(DEMO_ADMIN, "admin");
  await ensure(DEMO_ORGANIZER, "organizer");
  await ensure(DEMO_VIEWER, "viewer");
  return { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password };
}
