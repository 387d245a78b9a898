import { OpenAPIRegistry, extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

import { PROBLEM_STATUS_TITLES } from "@/lib/openapi/problem-schema";

extendZodWithOpenApi(z);

type OpenApiMethod = (this: z.ZodType, ...args: unknown[]) => z.ZodType;

/**
 * zod 4 copies prototype methods onto each schema when it is constructed, so a schema built before
 * extendZodWithOpenApi ran (module order differs between vitest and the Next bundle) lacks `.openapi`.
 * Give such a schema the method; `.openapi` itself returns a fresh, fully extended copy.
 */
function withOpenApi<T extends z.ZodType>(schema: T): T {
  const target = schema as T & { openapi?: OpenApiMethod };
  if (typeof target.openapi !== "function") {
    const method = (z.ZodType.prototype as unknown as { openapi: OpenApiMethod }).openapi;
    Object.defineProperty(target, "openapi", { value: method.bind(target), configurable: true });
  }
  return schema;
}

class RallyRegistry extends OpenAPIRegistry {
  override register<T extends z.ZodType>(refId: string, schema: T): T {
    return super.register(refId, withOpenApi(schema));
  }

  override registerParameter<T extends z.ZodType>(refId: string, schema: T): T {
    return super.registerParameter(refId, withOpenApi(schema));
  }
}

/**
 * The one OpenAPI registry. Each feature registers its operations in lib/openapi/paths/<feature>.ts and
 * lib/openapi/document.ts imports that file; the document is generated from the zod schemas.
 */
export const registry = new RallyRegistry();

export const bearerAuth = registry.registerComponent("securitySchemes", "bearerAuth", {
  type: "http",
  scheme: "bearer",
  description:
    "API key `rk_live_…` (create one with `npm run api-key:create -- --name X --scopes read,write`).",
});

export const Problem = registry.register(
  "Problem",
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      detail: z.string(),
      code: z.string(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })),
      requestId: z.string().optional(),
    })
    .describe("RFC 9457 problem details (application/problem+json)"),
);

type Method = "get" | "post" | "patch" | "delete";

export interface OperationSpec {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** API-key scope; "public" for unauthenticated operations. */
  scope: "read" | "write" | "public";
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Success status and body schema (omit schema for 204). */
  success: { status: number; description: string; schema?: z.ZodType };
  /** Error statuses this operation can answer besides the common ones. */
  errors?: number[];
  idempotent?: boolean;
}

/** Registers one operation with its problem+json error responses. */
export function registerOperation(spec: OperationSpec): void {
  const common = spec.scope === "public" ? [] : [401, 403];
  const bodyErrors = spec.body ? [400, 413, 415] : [];
  const statuses = [...new Set([...common, ...bodyErrors, ...(spec.errors ?? []), 503])].sort(
    (a, b) => a - b,
  );
  const responses: Record<string, object> = {
    [spec.success.status]: spec.success.schema
      ? {
          description: spec.success.description,
          content: { "application/json": { schema: spec.success.schema } },
        }
      : { description: spec.success.description },
  };
  for (const status of statuses) {
    responses[status] = {
      description: PROBLEM_STATUS_TITLES[status] ?? "Error",
      content: { "application/problem+json": { schema: Problem } },
    };
  }
  const headers =
    spec.idempotent && spec.method !== "get"
      ? z.object({
          "Idempotency-Key": z
            .string()
            .max(255)
            .optional()
            .describe(
              "Replays the first response for 24 h; reuse with another body → 422, while in flight → 409",
            ),
        })
      : undefined;
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    security: spec.scope === "public" ? [] : [{ [bearerAuth.name]: [] }],
    "x-required-scope": spec.scope,
    request: {
      params: spec.params,
      query: spec.query,
      headers,
      body: spec.body
        ? { required: true, content: { "application/json": { schema: spec.body } } }
        : undefined,
    },
    responses,
  } as Parameters<typeof registry.registerPath>[0]);
}
