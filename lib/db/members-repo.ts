import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

import { type Role } from "@/lib/context";
import { getDb, tableName } from "@/lib/db/client";
import { MEMBERS_LIST_PK, magicLinkKey, memberKey, memberListKeys, normaliseEmail } from "@/lib/db/keys";
import { queryWholeList } from "@/lib/db/list-page";
import { withRetry } from "@/lib/db/retry";
import { TTL_ATTRIBUTE } from "@/lib/db/table";
import { isConditionFailure } from "@/lib/db/transact";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { type Member } from "@/lib/members/schemas";

// No "server-only": ensureDemoMember() and scripts/create-member.ts run this under tsx.

function toMember(item: Record<string, unknown>): Member {
  return {
    id: item.id as string,
    email: item.email as string,
    name: item.name as string,
    role: item.role as Role,
    hasPassword: typeof item.passwordHash === "string",
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

/**
 * Stores a new member; `passwordHash` null means magic-link only.
 * @throws ConflictError when a member with that email exists.
 */
export async function insertMember(member: Member, passwordHash: string | null): Promise<void> {
  const item: Record<string, unknown> = {
    ...memberKey(member.email),
    ...memberListKeys(member.email),
    entity: "Member",
    id: member.id,
    email: normaliseEmail(member.email),
    name: member.name,
    role: member.role,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
  if (passwordHash) item.passwordHash = passwordHash;
  try {
    await withRetry(() =>
      getDb().send(
        new PutCommand({
          TableName: tableName(),
          Item: item,
          ConditionExpression: "attribute_not_exists(PK)",
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error))
      throw new ConflictError("A member with this email already exists.", [
        { field: "email", message: "Already a member." },
      ]);
    throw error;
  }
}

/** A member and its password hash (null when magic-link only), or null when no such member. */
export async function getMemberCredentials(
  email: string,
): Promise<{ member: Member; passwordHash: string | null } | null> {
  const out = await withRetry(() =>
    getDb().send(new GetCommand({ TableName: tableName(), Key: memberKey(email), ConsistentRead: true })),
  );
  if (!out.Item) return null;
  const hash = out.Item.passwordHash;
  return { member: toMember(out.Item), passwordHash: typeof hash === "string" ? hash : null };
}

export async function getMember(email: string): Promise<Member | null> {
  return (await getMemberCredentials(email))?.member ?? null;
}

/** All members by email (teams are small; paging is internal). */
export async function listMemberItems(): Promise<Member[]> {
  return queryWholeList(MEMBERS_LIST_PK, toMember);
}

/**
 * Changes a member's role; sessions pick it up on their next request (the session re-reads the member).
 * @throws NotFoundError when there is no such member.
 */
export async function updateMemberRole(email: string, role: Role, now: string): Promise<Member> {
  try {
    const out = await withRetry(() =>
      getDb().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: memberKey(email),
          UpdateExpression: "SET #role = :role, updatedAt = :now",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeNames: { "#role": "role" },
          ExpressionAttributeValues: { ":role": role, ":now": now },
          ReturnValues: "ALL_NEW",
        }),
      ),
    );
    return toMember(out.Attributes ?? {});
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError("Member", normaliseEmail(email));
    throw error;
  }
}

export interface MagicLinkToken {
  identifier: string;
  expires: Date;
}

/** Stores a magic-link token under its hash; DynamoDB's TTL sweeps it after `expires`. */
export async function insertMagicLinkToken(tokenHash: string, token: MagicLinkToken): Promise<void> {
  await withRetry(() =>
    getDb().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...magicLinkKey(tokenHash),
          entity: "MagicLinkToken",
          identifier: normaliseEmail(token.identifier),
          expires: token.expires.toISOString(),
          [TTL_ATTRIBUTE]: Math.ceil(token.expires.getTime() / 1000),
        },
        ConditionExpression: "attribute_not_exists(PK)",
      }),
    ),
  );
}

/**
 * Deletes the token and returns what it held, or null when it was never stored or already used. The
 * conditional delete makes it single use even when two requests race; expiry is the caller's check (TTL
 * sweeping is lazy, and absent in the local stand-in).
 */
export async function consumeMagicLinkToken(tokenHash: string): Promise<MagicLinkToken | null> {
  try {
    const out = await withRetry(() =>
      getDb().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: magicLinkKey(tokenHash),
          ConditionExpression: "attribute_exists(PK)",
          ReturnValues: "ALL_OLD",
        }),
      ),
    );
    const item = out.Attributes;
    if (!item) return null;
    return { identifier: item.identifier as string, expires: new Date(item.expires as string) };
  } catch (error) {
    if (isConditionFailure(error)) return null;
    throw error;
  }
}
