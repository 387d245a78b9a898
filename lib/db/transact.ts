import { type TransactWriteCommandInput, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";

import { getDb } from "@/lib/db/client";
import { withRetry } from "@/lib/db/retry";

export type TxItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface CancellationReason {
  Code?: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

/** DynamoDB's hard limit on items per TransactWriteItems call. */
export const MAX_TX_ITEMS = 100;

/**
 * Writes all items atomically, retrying transient conflicts/throttles. When conditions fail, `onCancel`
 * reads the per-item reasons (same order as `items`) and returns the domain error to throw.
 * @throws the error from onCancel, UnavailableError after exhausted retries, or the SDK error.
 */
export async function transactWrite(
  items: TxItem[],
  onCancel: (reasons: CancellationReason[]) => Error | Promise<Error>,
): Promise<void> {
  if (items.length === 0) return;
  if (items.length > MAX_TX_ITEMS)
    throw new Error(`Transaction of ${items.length} items exceeds ${MAX_TX_ITEMS}.`);
  try {
    await withRetry(() => getDb().send(new TransactWriteCommand({ TransactItems: items })));
  } catch (error) {
    if ((error as { name?: string }).name === "TransactionCanceledException") {
      const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
      throw await onCancel(reasons);
    }
    throw error;
  }
}

/** True when the reason at `index` is a failed condition. */
export function conditionFailed(reasons: CancellationReason[], index: number): boolean {
  return reasons[index]?.Code === "ConditionalCheckFailed";
}

/** True when the single-item write failed its ConditionExpression. */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === "ConditionalCheckFailedException";
}
