import "server-only";

import { randomUUID } from "node:crypto";

import { type ActionResult } from "@/lib/auth/action-result";
import { getSessionCtx } from "@/lib/auth/session";
import { type Ctx } from "@/lib/context";
import { toProblem } from "@/lib/http/problem";

/**
 * Runs one verb for a server action with the session's Ctx (actor null when signed out, so the verb refuses)
 * and turns thrown errors into the API's problem shape. Unknown errors are logged, never shown.
 */
export async function runAction<T>(verb: (ctx: Ctx) => Promise<T>): Promise<ActionResult<T>> {
  const requestId = randomUUID();
  try {
    const ctx = { ...(await getSessionCtx()), requestId };
    return { ok: true, data: await verb(ctx) };
  } catch (error) {
    const { title, status, detail, code, errors } = toProblem(error, requestId);
    return { ok: false, problem: { title, status, detail, code, errors } };
  }
}
