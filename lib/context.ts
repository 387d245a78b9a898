import { ForbiddenError, UnauthorizedError } from "@/lib/errors";

export type Scope = "read" | "write";

/** Who is acting. API keys today; the dashboard session adds its own kind later. */
export type Actor =
  | { kind: "api_key"; keyId: string; scopes: readonly Scope[] }
  | { kind: "system"; name: string }
  | { kind: "user"; userId: string; scopes: readonly Scope[] };

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
