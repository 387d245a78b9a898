import { renderDocsHtml } from "@/lib/openapi/docs-html";

/** Human-readable API reference rendered from the OpenAPI document; works offline. */
export function GET(): Response {
  return new Response(renderDocsHtml(), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });
}
