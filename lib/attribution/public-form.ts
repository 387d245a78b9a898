import "server-only";

import { registerFromPublicPage } from "@/lib/attribution/register-from-page";
import { CARRIED_PARAMS } from "@/lib/attribution/schemas";
import { systemCtx } from "@/lib/context";
import { NotFoundError } from "@/lib/errors";

function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

/**
 * Handles a posted public registration form and returns where to send the browser: back to the event page
 * with `status` (and the names of bad fields), keeping the utm_* values and token in the URL so a retry
 * still carries them. Never puts the visitor's name or email in the URL.
 * @throws UnavailableError when DynamoDB stays busy.
 */
export async function submitPublicRegistration(form: FormData): Promise<string> {
  const slug = field(form, "slug") ?? "";
  const carried = Object.fromEntries(CARRIED_PARAMS.map((p) => [p, field(form, p)]));
  const back = new URLSearchParams();
  for (const [k, v] of Object.entries(carried)) if (v) back.set(k, v);
  const target = (status: string) => {
    back.set("status", status);
    return `/e/${encodeURIComponent(slug)}?${back.toString()}#register`;
  };
  try {
    const result = await registerFromPublicPage({
      ctx: systemCtx("public-event-page"),
      input: {
        slug,
        firstName: field(form, "firstName") ?? "",
        lastName: field(form, "lastName") ?? "",
        email: field(form, "email") ?? "",
        ...carried,
      },
    });
    if (result.status === "invalid")
      back.set("fields", [...new Set(result.errors.map((e) => e.field))].join(","));
    return target(result.status);
  } catch (error) {
    if (error instanceof NotFoundError) return target("not_found");
    throw error;
  }
}
