import "server-only";

import { ZodError } from "zod";

import { PublicRegistrationInput, type PublicRegistrationStatus } from "@/lib/attribution/schemas";
import { type Ctx } from "@/lib/context";
import { findEventIdBySlug, findUserIdByEmail } from "@/lib/db/analytics-repo";
import { ConflictError, DomainError, type FieldIssue, NotFoundError } from "@/lib/errors";
import { registerForEvent } from "@/lib/events/register";
import { type Registration } from "@/lib/events/schemas";
import { createUser } from "@/lib/users/create-user";

export type PublicRegistrationResult =
  | { status: "registered"; registration: Registration }
  | { status: Exclude<PublicRegistrationStatus, "registered">; errors: FieldIssue[] };

async function userIdFor(
  ctx: Ctx,
  input: { firstName: string; lastName: string; email: string },
): Promise<string> {
  const existing = await findUserIdByEmail(input.email);
  if (existing) return existing;
  try {
    const { firstName, lastName, email } = input;
    return (await createUser({ ctx, input: { firstName, lastName, email } })).id;
  } catch (error) {
    // Someone registered with this email in between; use their user.
    if (error instanceof ConflictError) {
      const raced = await findUserIdByEmail(input.email);
      if (raced) return raced;
    }
    throw error;
  }
}

/**
 * Registration from the public event page: matches the user by email (or creates one), then registers
 * through the same verb as the API, carrying the UTM values and click token for attribution.
 * Form mistakes, "already registered" and "full" are answers, not errors.
 * @throws NotFoundError for an unknown slug; UnavailableError when DynamoDB stays busy.
 */
export async function registerFromPublicPage({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: PublicRegistrationInput;
}): Promise<PublicRegistrationResult> {
  const parsed = PublicRegistrationInput.safeParse(input);
  if (!parsed.success) {
    return {
      status: "invalid",
      errors: parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    };
  }
  const data = parsed.data;
  const eventId = await findEventIdBySlug(data.slug);
  if (!eventId) throw new NotFoundError("Event", data.slug);
  const utm = {
    source: data.utm_source,
    medium: data.utm_medium,
    campaign: data.utm_campaign,
    content: data.utm_content,
  };
  try {
    const userId = await userIdFor(ctx, data);
    const registration = await registerForEvent({
      ctx,
      input: {
        eventId,
        userId,
        source: "public",
        ...(Object.values(utm).some(Boolean) ? { utm } : {}),
        ...(data.rt ? { campaignToken: data.rt } : {}),
      },
    });
    return { status: "registered", registration };
  } catch (error) {
    if (
      error instanceof DomainError &&
      (error.code === "already_registered" || error.code === "event_full")
    ) {
      return { status: error.code, errors: [] };
    }
    if (error instanceof ZodError) {
      return {
        status: "invalid",
        errors: error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
      };
    }
    throw error;
  }
}
