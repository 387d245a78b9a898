import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

import { getDb, tableName } from "@/lib/db/client";
import { type Page } from "@/lib/db/cursor";
import { USERS_LIST_PK, USER_SK, emailGuardKey, normaliseEmail, userKey, userListKeys } from "@/lib/db/keys";
import { queryListPage } from "@/lib/db/list-page";
import { withRetry } from "@/lib/db/retry";
import { type TxItem, conditionFailed, isConditionFailure, transactWrite } from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { type User } from "@/lib/users/schemas";

const OPTIONAL_FIELDS = ["phoneNumber", "avatar", "gender", "jobTitle", "company", "city", "state"] as const;
type OptionalField = (typeof OPTIONAL_FIELDS)[number];

const emailTaken = () =>
  new ConflictError("A user with this email already exists.", [
    { field: "email", message: "Email is already in use." },
  ]);

/** The stored item for a user (absent optional fields are simply missing). */
export function userItem(user: User): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...userKey(user.id),
    ...userListKeys(user.createdAt, user.id),
    entity: "User",
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    emailLower: normaliseEmail(user.email),
    hostedEventCount: user.hostedEventCount,
    attendedEventCount: user.attendedEventCount,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    version: user.version,
  };
  for (const field of OPTIONAL_FIELDS) if (user[field] !== null) item[field] = user[field];
  return item;
}

/** The guard item that reserves an email for a user. */
export function emailGuardItem(email: string, userId: string): Record<string, unknown> {
  return { ...emailGuardKey(email), entity: "EmailGuard", userId };
}

export function toUser(item: Record<string, unknown>): User {
  const str = (k: string) => (typeof item[k] === "string" ? (item[k] as string) : null);
  return {
    id: item.id as string,
    firstName: item.firstName as string,
    lastName: item.lastName as string,
    email: item.email as string,
    phoneNumber: str("phoneNumber"),
    avatar: str("avatar"),
    gender: str("gender"),
    jobTitle: str("jobTitle"),
    company: str("company"),
    city: str("city"),
    state: str("state"),
    hostedEventCount: Number(item.hostedEventCount ?? 0),
    attendedEventCount: Number(item.attendedEventCount ?? 0),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: Number(item.version ?? 1),
  };
}

/**
 * Stores a new user and reserves its email in one transaction.
 * @throws ConflictError when the email is taken.
 */
export async function insertUser(user: User): Promise<void> {
  const table = tableName();
  await transactWrite(
    [
      { Put: { TableName: table, Item: userItem(user), ConditionExpression: "attribute_not_exists(PK)" } },
      {
        Put: {
          TableName: table,
          Item: emailGuardItem(user.email, user.id),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
    ],
    (reasons) =>
      conditionFailed(reasons, 1) ? emailTaken() : new ConflictError(`User ${user.id} already exists.`),
  );
}

/** Reads a user (strongly consistent), or null. Users being deleted are reported as missing. */
export async function getUser(userId: string): Promise<User | null> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: userKey(userId), ConsistentRead: true })),
  );
  if (!out.Item || out.Item.deletingAt !== undefined) return null;
  return toUser(out.Item);
}

/** @throws NotFoundError when the user does not exist. */
export async function getUserOrThrow(userId: string): Promise<User> {
  const user = await getUser(userId);
  if (!user) throw new NotFoundError("User", userId);
  return user;
}

/**
 * Lists users oldest first.
 * @throws ValidationError on a foreign or malformed cursor.
 */
export async function listUsers(opts: { limit: number; cursor?: string }): Promise<Page<User>> {
  return queryListPage({
    ...opts,
    listPk: USERS_LIST_PK,
    itemSk: USER_SK,
    toItem: (item) => (item.deletingAt === undefined ? toUser(item) : null),
  });
}

export type UserChanges = Partial<Pick<User, "firstName" | "lastName" | "email" | OptionalField>>;

/**
 * Applies changes if the user is still at `expected.version`; an email change swaps the guard items in
 * the same transaction.
 * @throws ConflictError when the new email is taken or the user changed concurrently; NotFoundError.
 */
export async function updateUserItem(expected: User, changes: UserChanges, now: string): Promise<User> {
  const table = tableName();
  const names: Record<string, string> = { "#version": "version", "#updatedAt": "updatedAt" };
  const values: Record<string, unknown> = { ":expected": expected.version, ":one": 1, ":now": now };
  const sets = ["#updatedAt = :now"];
  const removes: string[] = [];
  for (const [field, value] of Object.entries(changes)) {
    names[`#${field}`] = field;
    if (value === null) removes.push(`#${field}`);
    else {
      sets.push(`#${field} = :${field}`);
      values[`:${field}`] = value;
    }
  }
  const emailChanged =
    changes.email !== undefined && normaliseEmail(changes.email) !== normaliseEmail(expected.email);
  if (changes.email !== undefined) {
    names["#emailLower"] = "emailLower";
    sets.push("#emailLower = :emailLower");
    values[":emailLower"] = normaliseEmail(changes.email);
  }
  const update: TxItem = {
    Update: {
      TableName: table,
      Key: userKey(expected.id),
      UpdateExpression: `SET ${sets.join(", ")} ADD #version :one${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
      ConditionExpression:
        "attribute_exists(PK) AND #version = :expected AND attribute_not_exists(deletingAt)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
  const items: TxItem[] = [update];
  if (emailChanged && changes.email !== undefined) {
    items.push(
      {
        Delete: {
          TableName: table,
          Key: emailGuardKey(expected.email),
          ConditionExpression: "userId = :uid",
          ExpressionAttributeValues: { ":uid": expected.id },
        },
      },
      {
        Put: {
          TableName: table,
          Item: emailGuardItem(changes.email, expected.id),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
    );
  }
  await transactWrite(items, (reasons) => {
    if (conditionFailed(reasons, 2)) return emailTaken();
    return new ConflictError("The user was changed or deleted concurrently; reload and retry.");
  });
  const updated: User = { ...expected, updatedAt: now, version: expected.version + 1 };
  for (const [field, value] of Object.entries(changes)) (updated as Record<string, unknown>)[field] = value;
  return updated;
}

/**
 * Marks a user as being deleted so no new registrations or host links attach while the cascade runs.
 * @throws NotFoundError when the user does not exist.
 */
export async function markUserDeleting(userId: string, now: string): Promise<void> {
  try {
    await withRetry(() =>
      getDb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: userKey(userId),
          UpdateExpression: "SET deletingAt = if_not_exists(deletingAt, :now)",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":now": now },
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError("User", userId);
    throw error;
  }
}

/** Reads the raw user item, including one that is mid-deletion. */
export async function getUserItemRaw(userId: string): Promise<Record<string, unknown> | null> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: userKey(userId), ConsistentRead: true })),
  );
  return out.Item ?? null;
}
