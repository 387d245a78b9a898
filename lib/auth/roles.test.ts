import { describe, expect, it } from "vitest";

import { can, memberActor, type ROLES, scopesForRole } from "@/lib/auth/roles";
import { type Ctx, requireRole, requireScope, systemCtx } from "@/lib/context";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";

const ctxOf = (role: (typeof ROLES)[number]): Ctx => ({
  actor: memberActor({ id: "m1", email: `${role}@rally.local`, role }),
});

describe("role rules", () => {
  it("gives admins everything, organizers no team or key management, viewers no writes", () => {
    expect(can("admin", "members:manage")).toBe(true);
    expect(can("admin", "api-keys:manage")).toBe(true);
    expect(can("organizer", "events:write")).toBe(true);
    expect(can("organizer", "campaigns:write")).toBe(true);
    expect(can("organizer", "members:manage")).toBe(false);
    expect(can("organizer", "api-keys:manage")).toBe(false);
    expect(can("viewer", "analytics:read")).toBe(true);
    for (const p of ["events:write", "users:write", "campaigns:write", "members:manage"] as const)
      expect(can("viewer", p)).toBe(false);
  });

  it("maps roles to the scopes verbs check", () => {
    expect(scopesForRole("admin")).toEqual(["read", "write"]);
    expect(scopesForRole("organizer")).toEqual(["read", "write"]);
    expect(scopesForRole("viewer")).toEqual(["read"]);
  });

  it("lets scope-checking verbs refuse a viewer's write", () => {
    expect(() => requireScope(ctxOf("viewer"), "read")).not.toThrow();
    expect(() => requireScope(ctxOf("viewer"), "write")).toThrow(ForbiddenError);
    expect(() => requireScope(ctxOf("organizer"), "write")).not.toThrow();
  });

  it("requireRole: members by role, scripts always, API keys and nobody never", () => {
    expect(() => requireRole(ctxOf("admin"), "admin")).not.toThrow();
    expect(() => requireRole(ctxOf("organizer"), "admin")).toThrow(ForbiddenError);
    expect(() => requireRole(ctxOf("viewer"), "admin", "organizer")).toThrow(ForbiddenError);
    expect(() => requireRole(ctxOf("organizer"), "admin", "organizer")).not.toThrow();
    expect(() => requireRole(systemCtx("script"), "admin")).not.toThrow();
    const apiKey: Ctx = { actor: { kind: "api_key", keyId: "k", scopes: ["read", "write"] } };
    expect(() => requireRole(apiKey, "admin")).toThrow(ForbiddenError);
    expect(() => requireRole({ actor: null }, "admin")).toThrow(UnauthorizedError);
  });
});
