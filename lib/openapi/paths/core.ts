import { z } from "zod";

import { CreateEventInput, Event, RegisterInput, Registration, UpdateEventInput } from "@/lib/events/schemas";
import { registerOperation, registry } from "@/lib/openapi/registry";
import { IdParams, PageQuery, pageOf } from "@/lib/schemas/common";
import { CreateUserInput, UpdateUserInput, User } from "@/lib/users/schemas";

const UserRef = registry.register("User", User);
const EventRef = registry.register("Event", Event);
const RegistrationRef = registry.register("Registration", Registration);
const CreateUser = registry.register("CreateUserInput", CreateUserInput);
const UpdateUser = registry.register("UpdateUserInput", UpdateUserInput);
const CreateEvent = registry.register("CreateEventInput", CreateEventInput);
const UpdateEvent = registry.register("UpdateEventInput", UpdateEventInput);
const Register = registry.register("RegisterInput", RegisterInput);
const Health = registry.register(
  "Health",
  z.object({
    status: z.enum(["ok", "degraded", "down"]),
    dynamodb: z.object({ ok: z.boolean(), latencyMs: z.number() }),
    ses: z.object({ ok: z.boolean(), latencyMs: z.number() }),
  }),
);

const aliasNote = "snake_case spellings of every field (e.g. `first_name`) are accepted as aliases.";

registerOperation({
  method: "post",
  path: "/api/users",
  tag: "Users",
  scope: "write",
  summary: "Create a user",
  description: `Email must be unique (case-insensitive). ${aliasNote}`,
  body: CreateUser,
  success: { status: 201, description: "Created", schema: UserRef },
  errors: [409, 422],
  idempotent: true,
});
registerOperation({
  method: "get",
  path: "/api/users",
  tag: "Users",
  scope: "read",
  summary: "List users (oldest first)",
  query: PageQuery,
  success: { status: 200, description: "One page", schema: pageOf(UserRef) },
  errors: [400],
});
registerOperation({
  method: "get",
  path: "/api/users/{id}",
  tag: "Users",
  scope: "read",
  summary: "Get a user",
  params: IdParams,
  success: { status: 200, description: "The user", schema: UserRef },
  errors: [400, 404],
});
registerOperation({
  method: "patch",
  path: "/api/users/{id}",
  tag: "Users",
  scope: "write",
  summary: "Update a user",
  description: `Any subset of fields; null clears an optional one. ${aliasNote}`,
  params: IdParams,
  body: UpdateUser,
  success: { status: 200, description: "Updated", schema: UserRef },
  errors: [404, 409, 422],
  idempotent: true,
});
registerOperation({
  method: "delete",
  path: "/api/users/{id}",
  tag: "Users",
  scope: "write",
  summary: "Delete a user",
  description:
    "Refused with 409 while the user owns events. Otherwise removes their registrations and co-host links, keeping every counter exact.",
  params: IdParams,
  success: { status: 204, description: "Deleted" },
  errors: [400, 404, 409, 422],
  idempotent: true,
});
registerOperation({
  method: "post",
  path: "/api/events",
  tag: "Events",
  scope: "write",
  summary: "Create an event",
  description: `Slug is generated from the title when absent. Owner and up to 20 co-hosts must exist. ${aliasNote}`,
  body: CreateEvent,
  success: { status: 201, description: "Created", schema: EventRef },
  errors: [404, 409, 422],
  idempotent: true,
});
registerOperation({
  method: "get",
  path: "/api/events",
  tag: "Events",
  scope: "read",
  summary: "List events (by start time)",
  query: PageQuery,
  success: { status: 200, description: "One page", schema: pageOf(EventRef) },
  errors: [400],
});
registerOperation({
  method: "get",
  path: "/api/events/{id}",
  tag: "Events",
  scope: "read",
  summary: "Get an event",
  params: IdParams,
  success: { status: 200, description: "The event", schema: EventRef },
  errors: [400, 404],
});
registerOperation({
  method: "patch",
  path: "/api/events/{id}",
  tag: "Events",
  scope: "write",
  summary: "Update an event",
  description:
    "`hostIds` replaces the co-host list; hosted counters follow. maxCapacity cannot drop below current registrations.",
  params: IdParams,
  body: UpdateEvent,
  success: { status: 200, description: "Updated", schema: EventRef },
  errors: [404, 409, 422],
  idempotent: true,
});
registerOperation({
  method: "delete",
  path: "/api/events/{id}",
  tag: "Events",
  scope: "write",
  summary: "Delete an event",
  description:
    "Removes its registrations and host links in bounded transactions; attendee and host counters stay exact.",
  params: IdParams,
  success: { status: 204, description: "Deleted" },
  errors: [400, 404, 422],
  idempotent: true,
});
registerOperation({
  method: "post",
  path: "/api/events/{id}/register",
  tag: "Registrations",
  scope: "write",
  summary: "Register a user for an event",
  description: "409 with code `already_registered` or `event_full`; 404 names the missing event or user.",
  params: IdParams,
  body: Register,
  success: { status: 201, description: "Registered", schema: RegistrationRef },
  errors: [404, 409, 422],
  idempotent: true,
});
registerOperation({
  method: "delete",
  path: "/api/events/{id}/register/{userId}",
  tag: "Registrations",
  scope: "write",
  summary: "Cancel a registration",
  params: z.object({ id: IdParams.shape.id, userId: IdParams.shape.id }),
  success: { status: 204, description: "Cancelled" },
  errors: [400, 404, 422],
  idempotent: true,
});
registerOperation({
  method: "get",
  path: "/api/events/{id}/registrations",
  tag: "Registrations",
  scope: "read",
  summary: "List an event's registrations",
  params: IdParams,
  query: PageQuery,
  success: { status: 200, description: "One page", schema: pageOf(RegistrationRef) },
  errors: [400, 404],
});
registerOperation({
  method: "get",
  path: "/api/health",
  tag: "Operations",
  scope: "public",
  summary: "Health of the app and its dependencies",
  success: {
    status: 200,
    description: "Healthy (503 with the same body when DynamoDB is down)",
    schema: Health,
  },
});
