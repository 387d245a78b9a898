import { z } from "zod";

import { AudienceUser, MAX_FILTER_DEPTH, MAX_PAGE_SIZE, SORT_FIELDS } from "@/lib/audience/schemas";
import { registerOperation, registry } from "@/lib/openapi/registry";
import { IdParams, PageQuery, pageOf } from "@/lib/schemas/common";

// Documentation shapes: the runtime tree schema is recursive and refined, which the generator cannot walk.
const treeNote = `A filter tree: {all:[…]} (empty = everyone), {any:[…]} (empty = no one), {not:…}, {field,in:[…]} (company, jobTitle, city, state, gender; case-insensitive), {field,gte,lte} (hostedEventCount, attendedEventCount), {q} (name/email prefix), {attended|registered|hosted: eventId}. At most ${MAX_FILTER_DEPTH} levels, 200 nodes.`;
const Tree = z.record(z.string(), z.unknown()).describe(treeNote);

const AudienceUserRef = registry.register("AudienceUser", AudienceUser);
const AudiencePageSchema = registry.register(
  "AudiencePage",
  z.object({
    items: z.array(AudienceUserRef),
    total: z.int().describe("Users matching the filter right now"),
    nextCursor: z.string().nullable(),
  }),
);

const many = (what: string) => z.string().optional().describe(`${what}; repeat for any of several values`);
const count = (what: string) => z.string().optional().describe(`${what} (whole number ≥ 0)`);
const sortNote = `One of ${SORT_FIELDS.join(", ")}; prefix - for descending. Default lastName.`;

registerOperation({
  method: "get",
  path: "/api/users/filter",
  tag: "Audience",
  scope: "read",
  summary: "Filter users (flat parameters)",
  description:
    "Answers from the live audience index (follows writes within about a second). The original service's names are accepted too: job_title, events_hosted_min/max, events_attended_min/max, sort_by + sort_order, page + size. Unknown parameters, min > max, negative numbers and limit over the maximum are 400 naming the parameter.",
  query: z.object({
    company: many("Company, case-insensitive exact"),
    jobTitle: many("Job title"),
    city: many("City"),
    state: many("State"),
    gender: many("Gender"),
    q: z.string().optional().describe("Prefix of first name, last name, 'first last' or email"),
    hostedMin: count("Hosted events at least"),
    hostedMax: count("Hosted events at most"),
    attendedMin: count("Attended events at least"),
    attendedMax: count("Attended events at most"),
    attended: many("Attended this event id"),
    registered: many("Registered for this event id"),
    hosted: many("Hosted this event id"),
    filter: z.string().optional().describe("A JSON filter tree, ANDed with the flat parameters"),
    sort: z.string().optional().describe(sortNote),
    limit: z.string().optional().describe(`Page size 1–${MAX_PAGE_SIZE}, default 50`),
    cursor: z.string().optional().describe("nextCursor of the previous page"),
  }),
  success: { status: 200, description: "One page and the total", schema: AudiencePageSchema },
  errors: [400],
});

registerOperation({
  method: "post",
  path: "/api/users/filter",
  tag: "Audience",
  scope: "read",
  summary: "Filter users (JSON tree)",
  description: "Same answer as the GET form; a read, so the read scope suffices.",
  body: z.object({
    filter: Tree,
    sort: z.string().optional().describe(`${sortNote} Or {field, order}.`),
    limit: z.int().min(1).max(MAX_PAGE_SIZE).optional().describe("Default 50"),
    cursor: z.string().optional(),
  }),
  success: { status: 200, description: "One page and the total", schema: AudiencePageSchema },
});

const SegmentRef = registry.register(
  "Segment",
  z.object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    filter: Tree,
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.int(),
    count: z.int().optional().describe("Users matching right now, computed at read time"),
  }),
);
const segmentNote =
  "A segment is a named filter tree; its count is never stored, always computed live. Names need not be unique.";

registerOperation({
  method: "post",
  path: "/api/segments",
  tag: "Audience",
  scope: "write",
  summary: "Save a segment",
  description: segmentNote,
  body: z.object({ name: z.string().max(100), description: z.string().max(500).optional(), filter: Tree }),
  success: { status: 201, description: "Created, with its live count", schema: SegmentRef },
  idempotent: true,
});
registerOperation({
  method: "get",
  path: "/api/segments",
  tag: "Audience",
  scope: "read",
  summary: "List segments (newest first)",
  query: PageQuery,
  success: { status: 200, description: "One page, each with its live count", schema: pageOf(SegmentRef) },
  errors: [400],
});
registerOperation({
  method: "get",
  path: "/api/segments/{id}",
  tag: "Audience",
  scope: "read",
  summary: "Get a segment",
  params: IdParams,
  query: z.object({
    count: z.enum(["true", "false"]).optional().describe("Include the live count (default true)"),
  }),
  success: { status: 200, description: "The segment", schema: SegmentRef },
  errors: [400, 404],
});
registerOperation({
  method: "patch",
  path: "/api/segments/{id}",
  tag: "Audience",
  scope: "write",
  summary: "Rename or refilter a segment",
  params: IdParams,
  body: z.object({
    name: z.string().max(100).optional(),
    description: z.string().max(500).nullable().optional(),
    filter: Tree.optional(),
  }),
  success: { status: 200, description: "The segment, with its live count", schema: SegmentRef },
  errors: [404, 409],
  idempotent: true,
});
registerOperation({
  method: "delete",
  path: "/api/segments/{id}",
  tag: "Audience",
  scope: "write",
  summary: "Delete a segment",
  params: IdParams,
  success: { status: 204, description: "Deleted" },
  errors: [404],
  idempotent: true,
});
registerOperation({
  method: "get",
  path: "/api/segments/{id}/count",
  tag: "Audience",
  scope: "read",
  summary: "Live count of a segment",
  params: IdParams,
  success: {
    status: 200,
    description: "The count",
    schema: z.object({ id: z.string(), count: z.int() }),
  },
  errors: [404],
});
