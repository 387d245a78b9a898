/**
 * Domain errors carry a stable code; lib/http/problem.ts is the one place that maps codes to HTTP statuses.
 * Domain code throws these and never thinks about HTTP.
 */
export type DomainErrorCode =
  | "validation"
  | "not_found"
  | "conflict"
  | "forbidden"
  | "unauthorized"
  | "limit_exceeded"
  | "unprocessable"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unavailable"
  | "already_registered"
  | "event_full";

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "hostIds.2" or a query parameter name. */
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly errors: FieldIssue[];

  constructor(code: DomainErrorCode, message: string, options?: { errors?: FieldIssue[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.errors = options?.errors ?? [];
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, errors: FieldIssue[] = []) {
    super("validation", message, { errors });
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super("not_found", `${entity} ${id} was not found.`);
  }
}

/** Conflicts that clients branch on get their own code; everything else is plain "conflict". */
export type ConflictCode = "conflict" | "already_registered" | "event_full";

export class ConflictError extends DomainError {
  constructor(message: string, errors: FieldIssue[] = [], code: ConflictCode = "conflict") {
    super(code, message, { errors });
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You do not have permission to do this.") {
    super("forbidden", message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = "A valid API key or session is required.") {
    super("unauthorized", message);
  }
}

export class LimitExceededError extends DomainError {
  constructor(message: string) {
    super("limit_exceeded", message);
  }
}

export class UnprocessableError extends DomainError {
  constructor(message: string) {
    super("unprocessable", message);
  }
}

/** A dependency (DynamoDB, SES) stayed busy or unreachable after bounded retries; clients may retry later. */
export class UnavailableError extends DomainError {
  constructor(message = "The service is busy; please retry shortly.", cause?: unknown) {
    super("unavailable", message, { cause });
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super("payload_too_large", message);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string) {
    super("unsupported_media_type", message);
  }
}
