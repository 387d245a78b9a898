/** Human titles for error statuses in the generated document (the runtime map lives in lib/http/problem.ts). */
export const PROBLEM_STATUS_TITLES: Record<number, string> = {
  400: "Invalid request: bad JSON, wrong types, unknown fields, bad cursor or limit",
  401: "Missing, invalid or revoked API key",
  403: "The API key lacks the required scope",
  404: "Not found",
  409: "Conflict: duplicate email/slug, already_registered, event_full, concurrent change, idempotency key in flight",
  413: "Body over 1 MB",
  415: "Body is not application/json",
  422: "Idempotency-Key reused with a different request",
  503: "Database busy after bounded retries; retry later",
};
