import { z } from "zod";

/*
 * The public registration form (/e/[slug]). Pure: shared by the server action and its tests.
 * Hidden fields carry the landing URL's utm_* values and click token through the submit.
 */

const Carried = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined));

export const PublicRegistrationInput = z.object({
  slug: z.string().trim().min(1).max(100),
  firstName: z.string().trim().min(1, "Please enter your first name.").max(100, "At most 100 characters."),
  lastName: z.string().trim().min(1, "Please enter your last name.").max(100, "At most 100 characters."),
  email: z
    .string()
    .trim()
    .max(254, "At most 254 characters.")
    .pipe(z.email("Please enter a valid email address.")),
  utm_source: Carried,
  utm_medium: Carried,
  utm_campaign: Carried,
  utm_content: Carried,
  rt: z
    .string()
    .max(2048)
    .optional()
    .transform((v) => (v && /^[A-Za-z0-9._~-]+$/.test(v) ? v : undefined))
    .describe("Click token; anything that does not look like one is dropped, not rejected"),
});
export type PublicRegistrationInput = z.input<typeof PublicRegistrationInput>;

/** Query parameters the page carries into the form. */
export const CARRIED_PARAMS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "rt"] as const;

export type PublicRegistrationStatus = "registered" | "already_registered" | "event_full" | "invalid";
