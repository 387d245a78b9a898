import "server-only";

import { PROBLEM_TYPES } from "@/lib/http/problem";
import { openApiDocument } from "@/lib/openapi/document";

type Json = Record<string, unknown>;

const esc = (value: unknown) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** Inline code spans in descriptions (`x`) → <code>. */
const prose = (text: unknown) => esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");

function resolve(schema: Json | undefined, doc: Json): Json | undefined {
  const ref = schema?.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.split("/").pop()!;
  return ((doc.components as Json)?.schemas as Json)?.[name] as Json | undefined;
}

/** A small example value from a JSON schema: required fields only, plausible formats. */
function example(schema: Json | undefined, doc: Json, depth = 0): unknown {
  const s = resolve(schema, doc);
  if (!s || depth > 4) return null;
  if (Array.isArray(s.anyOf)) return example((s.anyOf as Json[])[0], doc, depth + 1);
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== "null") : s.type;
  if (type === "object") {
    const out: Json = {};
    const props = (s.properties ?? {}) as Record<string, Json>;
    const required = (s.required ?? []) as string[];
    for (const key of required) out[key] = example(props[key], doc, depth + 1);
    return out;
  }
  if (type === "array") return [];
  if (type === "integer" || type === "number") return typeof s.minimum === "number" ? s.minimum : 1;
  if (type === "boolean") return true;
  if (s.format === "email") return "ada@example.com";
  if (s.format === "date-time" || s.format === "datetime") return "2027-03-01T18:00:00Z";
  if (Array.isArray(s.enum)) return s.enum[0];
  return "string";
}

function operationHtml(method: string, path: string, op: Json, doc: Json): string {
  const params = ((op.parameters ?? []) as Json[])
    .map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? "yes" : "no"}</td><td>${prose((p.schema as Json)?.description ?? p.description ?? "")}</td></tr>`,
    )
    .join("");
  const bodySchema = (((op.requestBody as Json)?.content as Json)?.["application/json"] as Json)?.schema as
    Json | undefined;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
    .map(([status, r]) => `<li><code>${esc(status)}</code> ${esc(r.description)}</li>`)
    .join("");
  const scope = String(op["x-required-scope"] ?? "");
  const auth = scope === "public" ? "" : ` -H "Authorization: Bearer $RALLY_API_KEY"`;
  const body = bodySchema
    ? ` -H "Content-Type: application/json" -d '${esc(JSON.stringify(example(bodySchema, doc)))}'`
    : "";
  const curl = `curl -X ${method.toUpperCase()}${auth}${body} "$RALLY_URL${esc(path)}"`;
  const bodyRef = typeof bodySchema?.$ref === "string" ? String(bodySchema.$ref).split("/").pop() : undefined;
  return `<section class="op" id="${esc(`${method}-${path}`)}">
  <h3><span class="m ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> — ${esc(op.summary)}</h3>
  ${op.description ? `<p>${prose(op.description)}</p>` : ""}
  <p class="meta">Scope: <b>${esc(scope)}</b>${bodyRef ? ` · Body: <a href="#schema-${esc(bodyRef)}">${esc(bodyRef)}</a>` : ""}</p>
  ${params ? `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Notes</th></tr>${params}</table>` : ""}
  <pre>${curl}</pre>
  <ul class="responses">${responses}</ul>
</section>`;
}

/** A self-contained HTML reference rendered from the generated OpenAPI document (no scripts, no CDN). */
export function renderDocsHtml(): string {
  const doc = openApiDocument() as unknown as Json;
  const info = doc.info as Json;
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = String(((op as Json).tags as string[] | undefined)?.[0] ?? "Other");
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op as Json, doc)]);
    }
  }
  const toc = [...byTag.keys()].map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join(" · ");
  const ops = [...byTag]
    .map(([tag, html]) => `<h2 id="tag-${esc(tag)}">${esc(tag)}</h2>${html.join("")}`)
    .join("");
  const errors = Object.entries(PROBLEM_TYPES)
    .map(
      ([code, { status, title }]) =>
        `<tr id="error-${esc(code)}"><td><code>${esc(code)}</code></td><td>${status}</td><td>${esc(title)}</td></tr>`,
    )
    .join("");
  const schemas = Object.entries(((doc.components as Json)?.schemas ?? {}) as Record<string, Json>)
    .map(
      ([name, s]) =>
        `<details id="schema-${esc(name)}"><summary><code>${esc(name)}</code></summary><pre>${esc(JSON.stringify(s, null, 2))}</pre></details>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:24px;color:#111;background:#fff}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f4f4f5;padding:10px;overflow:auto;border-radius:6px}
.op{border-top:1px solid #e4e4e7;padding:8px 0}.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:1px 6px}
.get{background:#2563eb}.post{background:#16a34a}.patch{background:#ca8a04}.delete{background:#dc2626}
table{border-collapse:collapse}td,th{border:1px solid #e4e4e7;padding:3px 8px;text-align:left;vertical-align:top}.meta{color:#52525b}
@media (prefers-color-scheme: dark){body{background:#0b0b0c;color:#e4e4e7}pre{background:#18181b}a{color:#93c5fd}.meta{color:#a1a1aa}}
</style></head><body>
<h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${prose(info.description)}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> · ${toc} · <a href="#errors">Errors</a> · <a href="#schemas">Schemas</a></p>
${ops}
<h2 id="errors">Error codes</h2>
<p>Every error is <code>application/problem+json</code>: <code>{ type, title, status, detail, code, errors: [{ field, message }] }</code>.</p>
<table><tr><th>code</th><th>status</th><th>title</th></tr>${errors}</table>
<h2 id="schemas">Schemas</h2>${schemas}
</body></html>`;
}
