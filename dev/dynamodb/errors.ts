/** Prefixes DynamoDB puts before an error name in the `__type` field of a JSON error body. */
const DYNAMO_NS = "com.amazonaws.dynamodb.v20120810#";

export type JsonObject = Record<string, unknown>;

/**
 * An error answered in DynamoDB's JSON error format: status 400 (or 500) with `__type`, `message` and any extra
 * members (CancellationReasons, Item). The AWS SDK takes the name after `#` as `e.name`.
 */
export class DynamoError extends Error {
  readonly status: number;
  readonly type: string;
  readonly extra: JsonObject;

  constructor(type: string, message: string, extra: JsonObject = {}, status = 400) {
    super(message);
    this.name = "DynamoError";
    this.type = type.includes("#") ? type : DYNAMO_NS + type;
    this.status = status;
    this.extra = extra;
  }

  /** The short name the SDK surfaces as `e.name`, e.g. "ConditionalCheckFailedException". */
  get shortName(): string {
    return this.type.slice(this.type.indexOf("#") + 1);
  }

  toBody(): JsonObject {
    // DynamoDB capitalises the member for this one error; the SDK reads either spelling.
    const messageKey = this.shortName === "TransactionCanceledException" ? "Message" : "message";
    return { __type: this.type, [messageKey]: this.message, ...this.extra };
  }
}

export function validationError(message: string): DynamoError {
  return new DynamoError("com.amazon.coral.validate#ValidationException", message);
}

export function resourceNotFound(message = "Requested resource not found"): DynamoError {
  return new DynamoError("ResourceNotFoundException", message);
}

export function conditionalCheckFailed(item?: JsonObject): DynamoError {
  return new DynamoError(
    "ConditionalCheckFailedException",
    "The conditional request failed",
    item ? { Item: item } : {},
  );
}

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: JsonObject;
}

export function transactionCanceled(reasons: CancellationReason[]): DynamoError {
  const codes = reasons.map((r) => r.Code).join(", ");
  return new DynamoError(
    "TransactionCanceledException",
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    { CancellationReasons: reasons },
  );
}

/** Dynalite signals errors as `Error & { statusCode, body }`; turn those into DynamoError, pass the rest on. */
export function fromDynaliteError(err: unknown): unknown {
  if (err instanceof DynamoError) return err;
  const e = err as { statusCode?: number; body?: { __type?: string; message?: string } };
  if (e && typeof e.statusCode === "number" && e.body && typeof e.body.__type === "string") {
    return new DynamoError(e.body.__type, e.body.message ?? "", {}, e.statusCode);
  }
  return err;
}
