import { ForbiddenError, UnauthorizedError } from "@/lib/errors";

export type Scope = "read" | "write";

/** Dashboard member roles, most powerful first. lib/auth/roles.ts says what each may do. */
export type Role = "admin" | "organizer" | "viewer";

/** Who is acting: an API key, a script or job, or a signed-in dashboard member. */
export type Actor =
  | { kind: "api_key"; keyId: string; scopes: readonly Scope[] }
  | { kind: "system"; name: string }
  | { kind: "user"; userId: string; scopes: readonly Scope[] }
  // scopes are derived from role (lib/auth/roles.ts) so every scope-checking verb also works for members.
  | { kind: "member"; memberId: string; email: string; role: Role; scopes: readonly Scope[] };

/** Passed to every domain verb; verbs never see the Request. */
export interface Ctx {
  actor: Actor | null;
  requestId?: string;
}

/** Context for scripts, seeding and jobs that act with full rights. */
export function systemCtx(name: string): Ctx {
  return { actor: { kind: "system", name } };
}

/**
 * Verbs re-check the actor themselves so an entry point that forgot auth still cannot act.
 * @throws UnauthorizedError without an actor; ForbiddenError when the scope is missing.
 */
export function requireScope(ctx: Ctx, scope: Scope): void {
  const actor = ctx.actor;
  if (!actor) throw new UnauthorizedError();
  if (actor.kind === "system") return;
  if (!actor.scopes.includes(scope)) throw new ForbiddenError(`This operation needs the "${scope}" scope.`);
}

/**
 * For verbs only some dashboard roles may call (members, API keys). Scripts pass; API keys never do.
 * @throws UnauthorizedError without an actor; ForbiddenError for API keys and members of other roles.
 */
export function requireRole(ctx: Ctx, ...roles: Role[]): void {
  const actor = ctx.actor;
  if (!actor) throw new UnauthorizedError();
  if (actor.kind === "system") return;
  if (actor.kind !== "member" || !roles.includes(actor.role))
    throw new ForbiddenError(`This operation needs the ${roles.join(" or ")} role.`);
}
