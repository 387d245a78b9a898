import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";

import { registry } from "@/lib/openapi/registry";
// Each feature's operations; add one import per feature.
import "@/lib/openapi/paths/analytics";
import "@/lib/openapi/paths/audience";
import "@/lib/openapi/paths/campaigns";
import "@/lib/openapi/paths/core";

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | undefined;

/** The OpenAPI 3.1 document generated from the registered zod schemas (built once per process). */
export function openApiDocument() {
  cached ??= new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Rally API",
      version: "1.0.0",
      description:
        "Users, events and registrations for Rally. JSON in and out, camelCase. Authenticate with `Authorization: Bearer <API key>`; GET needs the read scope, everything else write. Errors are application/problem+json (RFC 9457) with a stable `code` and per-field `errors`. Lists page with `limit` (1–200, default 50) and the opaque `cursor` from `nextCursor`.",
    },
    servers: [{ url: "/" }],
  });
  return cached;
}
