import { z } from "zod";

import { Id, text } from "@/lib/schemas/common";
import { withSnakeAliases } from "@/lib/schemas/snake-aliases";

/** Suggested values; any other text up to 50 characters is accepted as self-description. */
export const GENDER_SUGGESTIONS = ["female", "male", "non-binary", "prefer-not-to-say"] as const;

const Email = z
  .string()
  .trim()
  .max(254, "Must be at most 254 characters.")
  .pipe(z.email("Must be a valid email address."))
  .describe("Unique across users (case-insensitive)");

const PhoneNumber = z
  .string()
  .trim()
  .regex(/^[0-9+() .x-]{3,40}$/, "Must be 3–40 characters of digits, spaces, + ( ) . - or x.");

const Avatar = z
  .url({ protocol: /^https$/, error: "Must be an https URL." })
  .max(2048, "Must be at most 2048 characters.");

const Gender = text(50).describe(`One of ${GENDER_SUGGESTIONS.join(", ")}, or free text up to 50 characters`);

const userFields = {
  firstName: text(100),
  lastName: text(100),
  email: Email,
  phoneNumber: PhoneNumber.optional(),
  avatar: Avatar.optional(),
  gender: Gender.optional(),
  jobTitle: text(100).optional(),
  company: text(200).optional(),
  city: text(100).optional(),
  state: text(100).optional(),
};

/** Body of POST /api/users. snake_case spellings (first_name, …) are accepted. */
export const CreateUserInput = withSnakeAliases(z.object(userFields));
export type CreateUserInput = z.infer<typeof CreateUserInput>;

/** Body of PATCH /api/users/{id}: any subset; null clears an optional field. */
export const UpdateUserInput = withSnakeAliases(
  z.object({
    firstName: userFields.firstName.optional(),
    lastName: userFields.lastName.optional(),
    email: Email.optional(),
    phoneNumber: PhoneNumber.nullable().optional(),
    avatar: Avatar.nullable().optional(),
    gender: Gender.nullable().optional(),
    jobTitle: text(100).nullable().optional(),
    company: text(200).nullable().optional(),
    city: text(100).nullable().optional(),
    state: text(100).nullable().optional(),
  }),
).refine((v) => Object.keys(v).length > 0, { message: "Give at least one field to change." });
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

/** A user as the API returns it. */
export const User = z.object({
  id: Id,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  phoneNumber: z.string().nullable(),
  avatar: z.string().nullable(),
  gender: z.string().nullable(),
  jobTitle: z.string().nullable(),
  company: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  hostedEventCount: z.number().int(),
  attendedEventCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type User = z.infer<typeof User>;
