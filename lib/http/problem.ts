import "server-only";

import { ZodError } from "zod";

import { DomainError, type DomainErrorCode, type FieldIssue } from "@/lib/errors";

/** The one table from domain error codes to HTTP. Routes never pick statuses for errors themselves. */
export const PROBLEM_TYPES: Record<DomainErrorCode | "internal", { status: number; title: string }> = {
  validation: { status: 400, title: "Invalid request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  already_registered: { status: 409, title: "Already registered" },
  event_full: { status: 409, title: "Event is full" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  unprocessable: { status: 422, title: "Unprocessable request" },
  limit_exceeded: { status: 429, title: "Limit exceeded" },
  unavailable: { status: 503, title: "Service unavailable" },
  internal: { status: 500, title: "Internal server error" },
};

/** RFC 9457 problem details, plus our stable `code` and per-field `errors`. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: DomainErrorCode | "internal";
  errors: FieldIssue[];
  requestId?: string;
}

/** Field issues from a ZodError; unknown keys become one issue each, named by their full path. */
export function zodFieldIssues(error: ZodError, prefix?: string): FieldIssue[] {
  const withPrefix = (path: PropertyKey[]) =>
    [prefix, ...path.map(String)].filter(Boolean).join(".") || "(root)";
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ field: withPrefix([...issue.path, key]), message: "Unknown field." }))
      : [{ field: withPrefix(issue.path), message: issue.message }],
  );
}

/** Maps any thrown value to a problem body; unknown errors get generic text and their cause is only logged. */
export function toProblem(error: unknown, requestId?: string): ProblemBody {
  let code: DomainErrorCode | "internal";
  let detail: string;
  let errors: FieldIssue[] = [];
  if (error instanceof ZodError) {
    code = "validation";
    errors = zodFieldIssues(error);
    detail = `The request has ${errors.length} invalid field(s): ${errors.map((e) => e.field).join(", ")}.`;
  } else if (error instanceof DomainError) {
    code = error.code;
    detail = error.message;
    errors = error.errors;
    if (code === "unavailable") console.warn("503 unavailable", { requestId, cause: error.cause });
  } else {
    code = "internal";
    detail = "Something went wrong on our side. The error has been logged.";
    console.error("500 internal error", { requestId, error });
  }
  const { status, title } = PROBLEM_TYPES[code];
  return {
    type: `/api/docs#error-${code}`,
    title,
    status,
    detail,
    code,
    errors,
    ...(requestId ? { requestId } : {}),
  };
}

/** A problem+json response for any thrown value. */
export function problemResponse(error: unknown, requestId?: string): Response {
  const body = toProblem(error, requestId);
  const headers = new Headers({ "content-type": "application/problem+json" });
  if (body.status === 401) headers.set("www-authenticate", 'Bearer realm="rally"');
  if (body.status === 503) headers.set("retry-after", "1");
  return new Response(JSON.stringify(body), { status: body.status, headers });
}
