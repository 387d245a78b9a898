import { openApiDocument } from "@/lib/openapi/document";

/** The OpenAPI 3.1 document, generated from the zod schemas. Public: it describes, it does not serve data. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { "cache-control": "no-cache" } });
}
