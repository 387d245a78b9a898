import { createRequire } from "node:module";
import { resolve } from "node:path";

import { describe, expect, it } from "vitest";

import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { membersAdapter } from "@/lib/auth/adapter";
import { hashMagicLinkToken } from "@/lib/auth/config";
import { verifyCredentials } from "@/lib/auth/credentials";
import { requestMagicLink } from "@/lib/auth/magic-link";
import { getAuthOptions } from "@/lib/auth/options";
import { memberActor } from "@/lib/auth/roles";
import { type Ctx, type Role } from "@/lib/context";
import { consumeMagicLinkToken, getMember, insertMagicLinkToken } from "@/lib/db/members-repo";
import { ConflictError, ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { adminCreateApiKey, adminListApiKeys, adminRevokeApiKey } from "@/lib/members/api-keys";
import { createMember } from "@/lib/members/create-member";
import { DEMO_ADMIN, DEMO_VIEWER, ensureDemoMember } from "@/lib/members/demo-members";
import { changeMemberRole, listMembers } from "@/lib/members/manage-members";
import { setupIntegration } from "@/test/integration";

// next-auth does not export its core; the test drives the real email callback to prove our token pairing.
const { AuthHandler } = createRequire(import.meta.url)(resolve("node_modules/next-auth/core/index.js")) as {
  AuthHandler: (p: { req: Request; options: unknown }) => Promise<{
    status?: number;
    redirect?: string;
    cookies?: { name: string; value: string }[];
  }>;
};

const fx = setupIntegration();
const as = (role: Role): Ctx => ({ actor: memberActor({ id: `id-${role}`, email: `${role}@x.test`, role }) });

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text: string };
}
async function sentTo(address: string): Promise<StoredEmail[]> {
  const store = (await (await fetch(`${fx.aws.sesEndpoint}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((e) => e.destination.to.includes(address));
}

describe("members repo and verbs", () => {
  it("creates members (admin only), refuses duplicates, lists and changes roles", async () => {
    const input = {
      email: "Grace@Example.com ",
      name: "Grace",
      role: "organizer" as const,
      password: "a-long-passphrase",
    };
    await expect(createMember({ ctx: as("organizer"), input })).rejects.toThrow(ForbiddenError);
    await expect(createMember({ ctx: { actor: null }, input })).rejects.toThrow(UnauthorizedError);
    const grace = await createMember({ ctx: as("admin"), input });
    expect(grace).toMatchObject({ email: "grace@example.com", role: "organizer", hasPassword: true });
    await expect(createMember({ ctx: as("admin"), input })).rejects.toThrow(ConflictError);

    await expect(listMembers({ ctx: as("viewer") })).rejects.toThrow(ForbiddenError);
    const listed = await listMembers({ ctx: as("admin") });
    expect(listed.map((m) => m.email)).toContain("grace@example.com");
    expect(JSON.stringify(listed)).not.toContain("scrypt$");

    await expect(
      changeMemberRole({ ctx: as("organizer"), input: { email: "grace@example.com", role: "admin" } }),
    ).rejects.toThrow(ForbiddenError);
    const changed = await changeMemberRole({
      ctx: as("admin"),
      input: { email: "grace@example.com", role: "viewer" },
    });
    expect(changed.role).toBe("viewer");
    expect((await getMember("GRACE@example.com"))?.role).toBe("viewer");
  });

  it("checks passwords with scrypt; magic-link-only members never match a password", async () => {
    await createMember({
      ctx: fx.ctx,
      input: { email: "pw@x.test", name: "Pw", role: "viewer", password: "correct horse battery" },
    });
    await createMember({ ctx: fx.ctx, input: { email: "link@x.test", name: "Link", role: "viewer" } });
    expect((await verifyCredentials("pw@x.test", "correct horse battery"))?.email).toBe("pw@x.test");
    expect(await verifyCredentials("pw@x.test", "correct horse battery!")).toBeNull();
    expect(await verifyCredentials("nobody@x.test", "correct horse battery")).toBeNull();
    expect(await verifyCredentials("link@x.test", "")).toBeNull();
  });

  it("ensureDemoMember is idempotent and keeps one admin", async () => {
    const first = await ensureDemoMember();
    const second = await ensureDemoMember();
    expect(second).toEqual(first);
    expect(first).toEqual({ email: DEMO_ADMIN.email, password: DEMO_ADMIN.password });
    expect((await verifyCredentials(DEMO_VIEWER.email, DEMO_VIEWER.password))?.role).toBe("viewer");
    const admins = (await listMembers({ ctx: fx.ctx })).filter((m) => m.role === "admin");
    expect(admins.map((m) => m.email)).toEqual([DEMO_ADMIN.email]);
    await expect(
      changeMemberRole({ ctx: as("admin"), input: { email: DEMO_ADMIN.email, role: "organizer" } }),
    ).rejects.toThrow(ConflictError);
  });
});

describe("magic links", () => {
  it("emails a link through SES that signs in once through next-auth's callback", async () => {
    await createMember({ ctx: fx.ctx, input: { email: "magic@x.test", name: "Magic", role: "organizer" } });
    await requestMagicLink({ email: "MAGIC@x.test" });
    const [mail] = await sentTo("magic@x.test");
    const url = /(http\S+\/api\/auth\/callback\/email\?\S+)/.exec(mail?.body.text ?? "")?.[1];
    expect(url).toBeDefined();

    const first = await AuthHandler({ req: new Request(url!), options: getAuthOptions() });
    expect(first.redirect).toMatch(/\/events$/);
    expect(first.cookies?.some((c) => c.name.endsWith("rally.session-token") && c.value.length > 20)).toBe(
      true,
    );

    const again = await AuthHandler({ req: new Request(url!), options: getAuthOptions() });
    expect(again.redirect).toContain("error=Verification");
    expect(again.cookies?.some((c) => c.name.endsWith("rally.session-token"))).toBe(false);
  });

  it("sends nothing to strangers", async () => {
    await requestMagicLink({ email: "stranger@x.test" });
    expect(await sentTo("stranger@x.test")).toEqual([]);
  });

  it("a token is consumed exactly once under a race, and expired tokens are refused", async () => {
    const hash = hashMagicLinkToken("race-token");
    await insertMagicLinkToken(hash, { identifier: "magic@x.test", expires: new Date(Date.now() + 60_000) });
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeMagicLinkToken(hash)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);

    const adapter = membersAdapter();
    const old = hashMagicLinkToken("old-token");
    await insertMagicLinkToken(old, { identifier: "magic@x.test", expires: new Date(Date.now() - 1000) });
    expect(await adapter.useVerificationToken?.({ identifier: "magic@x.test", token: old })).toBeNull();

    const other = hashMagicLinkToken("other-token");
    await insertMagicLinkToken(other, { identifier: "magic@x.test", expires: new Date(Date.now() + 60_000) });
    expect(await adapter.useVerificationToken?.({ identifier: "someone@x.test", token: other })).toBeNull();
  });
});

describe("API keys through the admin verbs", () => {
  it("only admins create, list and revoke; a revoked key stops authenticating", async () => {
    const input = { name: "ci", scopes: ["read" as const] };
    await expect(adminCreateApiKey({ ctx: as("organizer"), input })).rejects.toThrow(ForbiddenError);
    await expect(adminListApiKeys({ ctx: as("viewer") })).rejects.toThrow(ForbiddenError);
    const { key, secret } = await adminCreateApiKey({ ctx: as("admin"), input });
    expect(await authenticateApiKey(`Bearer ${secret}`)).toMatchObject({ kind: "api_key", keyId: key.id });
    const listed = await adminListApiKeys({ ctx: as("admin") });
    expect(listed[0]?.id).toBe(key.id);
    expect(JSON.stringify(listed)).not.toContain(secret);

    await expect(adminRevokeApiKey({ ctx: as("organizer"), input: { id: key.id } })).rejects.toThrow(
      ForbiddenError,
    );
    await adminRevokeApiKey({ ctx: as("admin"), input: { id: key.id } });
    await expect(authenticateApiKey(`Bearer ${secret}`)).rejects.toThrow(UnauthorizedError);
    expect(
      (await adminListApiKeys({ ctx: as("admin") })).find((k) => k.id === key.id)?.revokedAt,
    ).not.toBeNull();
  });
});
