import "server-only";

import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "@/lib/errors";

export const MAX_BODY_BYTES = 1024 * 1024;

/** True for application/json and application/*+json, with or without parameters. */
export function isJsonContentType(header: string | null): boolean {
  const type = header?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads the body as UTF-8, enforcing the limit on the bytes actually received (a lying or absent
 * Content-Length, e.g. chunked uploads, cannot get past it).
 * @throws PayloadTooLargeError over the limit; ValidationError for invalid UTF-8.
 */
export async function readBodyText(request: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ValidationError("Request body is not valid UTF-8.");
  }
}

/**
 * Checks the content type, reads and parses a JSON body.
 * @throws UnsupportedMediaTypeError, PayloadTooLargeError, ValidationError (empty or not JSON).
 */
export async function readJsonBody(request: Request): Promise<{ raw: string; json: unknown }> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge(MAX_BODY_BYTES);
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new UnsupportedMediaTypeError("Send the request body as application/json.");
  }
  const raw = await readBodyText(request);
  if (raw.trim() === "") throw new ValidationError("A JSON request body is required.");
  try {
    return { raw, json: JSON.parse(raw) };
  } catch {
    throw new ValidationError("Request body is not valid JSON");
  }
}

function tooLarge(limit: number) {
  return new PayloadTooLargeError(`Request body must be at most ${limit} bytes.`);
}
