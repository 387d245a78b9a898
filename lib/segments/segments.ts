import "server-only";

import { randomUUID } from "node:crypto";

import { countUsers } from "@/lib/audience/filter-users";
import { type Ctx, requireScope } from "@/lib/context";
import { type Page } from "@/lib/db/cursor";
import {
  type StoredSegment,
  deleteSegmentItem,
  getSegmentOrThrow,
  insertSegment,
  listSegments as listSegmentItems,
  replaceSegment,
} from "@/lib/db/segments-repo";
import { type PageQuery } from "@/lib/schemas/common";
import { type CreateSegmentInput, type Segment, type UpdateSegmentInput } from "@/lib/segments/schemas";

async function withCount(ctx: Ctx, segment: StoredSegment): Promise<Segment> {
  return { ...segment, count: await countUsers({ ctx, input: { filter: segment.filter } }) };
}

/**
 * Saves a named filter tree; the reply carries its live count.
 * @throws UnavailableError while the audience index starts; Unauthorized/ForbiddenError.
 */
export async function createSegment({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: CreateSegmentInput;
}): Promise<Segment> {
  requireScope(ctx, "write");
  const now = new Date().toISOString();
  const segment: StoredSegment = {
    id: randomUUID(),
    name: input.name,
    description: input.description ?? null,
    filter: input.filter,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await insertSegment(segment);
  return withCount(ctx, segment);
}

/**
 * One segment, with its live count unless `withCount` is false.
 * @throws NotFoundError; UnavailableError; Unauthorized/ForbiddenError.
 */
export async function getSegment({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; withCount?: boolean };
}): Promise<Segment> {
  requireScope(ctx, "read");
  const segment = await getSegmentOrThrow(input.id);
  return input.withCount === false ? segment : withCount(ctx, segment);
}

/** Segments newest first, each with its live count. @throws ValidationError on a bad cursor; UnavailableError. */
export async function listSegments({ ctx, input }: { ctx: Ctx; input: PageQuery }): Promise<Page<Segment>> {
  requireScope(ctx, "read");
  const page = await listSegmentItems(input);
  return { items: await Promise.all(page.items.map((s) => withCount(ctx, s))), nextCursor: page.nextCursor };
}

/** The live number of users in a segment. @throws NotFoundError; UnavailableError; Unauthorized/ForbiddenError. */
export async function countSegment({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<number> {
  requireScope(ctx, "read");
  const segment = await getSegmentOrThrow(input.id);
  return countUsers({ ctx, input: { filter: segment.filter } });
}

/**
 * Renames, redescribes or refilters a segment.
 * @throws NotFoundError; ConflictError on a concurrent change; Unauthorized/ForbiddenError.
 */
export async function updateSegment({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { id: string; changes: UpdateSegmentInput };
}): Promise<Segment> {
  requireScope(ctx, "write");
  const current = await getSegmentOrThrow(input.id);
  const { name, description, filter } = input.changes;
  const next: StoredSegment = {
    ...current,
    ...(name !== undefined && { name }),
    ...(description !== undefined && { description }),
    ...(filter !== undefined && { filter }),
    updatedAt: new Date().toISOString(),
    version: current.version + 1,
  };
  await replaceSegment(next, current.version);
  return withCount(ctx, next);
}

/** @throws NotFoundError; Unauthorized/ForbiddenError. */
export async function deleteSegment({ ctx, input }: { ctx: Ctx; input: { id: string } }): Promise<void> {
  requireScope(ctx, "write");
  await deleteSegmentItem(input.id);
}
