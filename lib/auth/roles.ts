import { type Actor, type Role, type Scope } from "@/lib/context";

// No "server-only": pure rules, shared by verbs, pages (to hide controls) and scripts.

export const ROLES = ["admin", "organizer", "viewer"] as const satisfies readonly Role[];

/** What each role may do in the dashboard. Verbs enforce it; pages only use it to hide controls. */
export type Permission =
  | "analytics:read"
  | "events:read"
  | "events:write"
  | "users:read"
  | "users:write"
  | "campaigns:read"
  | "campaigns:write"
  | "api-keys:manage"
  | "members:manage";

const ORGANIZER: readonly Permission[] = [
  "analytics:read",
  "events:read",
  "events:write",
  "users:read",
  "users:write",
  "campaigns:read",
  "campaigns:write",
];

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [...ORGANIZER, "api-keys:manage", "members:manage"],
  organizer: ORGANIZER,
  // Viewers look at results; reading events, users and campaigns is what the analytics pages link to.
  viewer: ["analytics:read", "events:read", "users:read", "campaigns:read"],
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission);
}

/** The API-style scopes a role maps to, so scope-checking verbs (requireScope) treat members correctly. */
export function scopesForRole(role: Role): Scope[] {
  return can(role, "events:write") ? ["read", "write"] : ["read"];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Builds the actor of a signed-in member. */
export function memberActor(member: { id: string; email: string; role: Role }): Actor {
  return {
    kind: "member",
    memberId: member.id,
    email: member.email,
    role: member.role,
    scopes: scopesForRole(member.role),
  };
}
