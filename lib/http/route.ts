import "server-only";

import { createHash, randomUUID } from "node:crypto";

import { type z } from "zod";

import { authenticateApiKey } from "@/lib/api-keys/authenticate";
import { type Ctx, type Scope } from "@/lib/context";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
} from "@/lib/db/idempotency-repo";
import { ConflictError, ForbiddenError, UnprocessableError, ValidationError } from "@/lib/errors";
import { readJsonBody } from "@/lib/http/body";
import { problemResponse, zodFieldIssues } from "@/lib/http/problem";

/** What a handler returns: a status and a JSON body (null for 204). */
export interface Reply {
  status: number;
  body: unknown;
}

export const reply = (status: number, body: unknown): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204, body: null });

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

export interface RouteDefinition<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** Scope the API key must hold. */
  scope: Scope;
  params?: P;
  query?: Q;
  body?: B;
  handler: (args: { ctx: Ctx; params: z.output<P>; query: z.output<Q>; body: z.output<B> }) => Promise<Reply>;
}

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Builds a Next.js route handler: API-key auth and scope, params/query/body parsing (415, 413, 400),
 * Idempotency-Key replay for mutations, and one problem+json mapping for every error.
 */
export function apiRoute<
  P extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
>(def: RouteDefinition<P, Q, B>) {
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    try {
      // Only the Authorization header is trusted: no middleware or forwarded header can vouch for a caller.
      const actor = await authenticateApiKey(request.headers.get("authorization"));
      if (actor.kind !== "system" && !actor.scopes.includes(def.scope)) {
        throw new ForbiddenError(`This API key lacks the "${def.scope}" scope.`);
      }
      const ctx: Ctx = { actor, requestId };
      const params = parsePart(def.params, (await context?.params) ?? {}, "path");
      const url = new URL(request.url);
      const query = parsePart(def.query, Object.fromEntries(url.searchParams), "query");
      let raw = "";
      let body: unknown = undefined;
      if (def.body) {
        const read = await readJsonBody(request);
        raw = read.raw;
        body = parsePart(def.body, read.json, undefined);
      }
      const run = async () => {
        const result = await def.handler({
          ctx,
          params: params as z.output<P>,
          query: query as z.output<Q>,
          body: body as z.output<B>,
        });
        return toResponse(result, requestId);
      };

      const idempotencyHeader = request.headers.get("idempotency-key");
      if (idempotencyHeader === null || request.method === "GET" || actor.kind !== "api_key")
        return await run();
      if (!IDEMPOTENCY_KEY_PATTERN.test(idempotencyHeader)) {
        throw new ValidationError("Invalid Idempotency-Key.", [
          { field: "Idempotency-Key", message: "Must be 1–255 visible ASCII characters." },
        ]);
      }
      return await withIdempotency(
        actor.keyId,
        idempotencyHeader,
        requestHash(request, url, raw),
        run,
        requestId,
      );
    } catch (error) {
      return problemResponse(error, requestId);
    }
  };
}

function parsePart(schema: z.ZodType | undefined, value: unknown, prefix: string | undefined): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = zodFieldIssues(parsed.error, prefix);
  const where = prefix ? `${prefix} parameter` : "field";
  throw new ValidationError(`Invalid ${where}(s): ${errors.map((e) => e.field).join(", ")}.`, errors);
}

function toResponse(result: Reply, requestId: string): Response {
  if (result.status === 204)
    return new Response(null, { status: 204, headers: { "x-request-id": requestId } });
  return new Response(JSON.stringify(result.body), {
    status: result.status,
    headers: { "content-type": "application/json", "x-request-id": requestId },
  });
}

function requestHash(request: Request, url: URL, raw: string): string {
  return createHash("sha256").update(`${request.method} ${url.pathname}${url.search}\n${raw}`).digest("hex");
}

async function withIdempotency(
  apiKeyId: string,
  key: string,
  hash: string,
  run: () => Promise<Response>,
  requestId: string,
): Promise<Response> {
  const claim = await claimIdempotencyKey(apiKeyId, key, hash, Math.floor(Date.now() / 1000));
  if (claim.kind === "mismatch") {
    throw new UnprocessableError("This Idempotency-Key was already used with a different request.");
  }
  if (claim.kind === "in_flight") {
    throw new ConflictError("A request with this Idempotency-Key is still in progress; retry shortly.");
  }
  if (claim.kind === "replay") {
    const headers = new Headers({ "idempotent-replayed": "true", "x-request-id": requestId });
    if (claim.status === 204) return new Response(null, { status: 204, headers });
    headers.set("content-type", claim.status >= 400 ? "application/problem+json" : "application/json");
    return new Response(claim.body, { status: claim.status, headers });
  }
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    response = problemResponse(error, requestId);
  }
  if (response.status >= 500) {
    await releaseIdempotencyKey(apiKeyId, key);
    return response;
  }
  const text = response.status === 204 ? "" : await response.text();
  await completeIdempotencyKey(apiKeyId, key, response.status, text);
  return new Response(response.status === 204 ? null : text, {
    status: response.status,
    headers: response.headers,
  });
}
