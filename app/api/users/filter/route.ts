import { compileFlatParams } from "@/lib/audience/compile-flat-params";
import { filterUsers } from "@/lib/audience/filter-users";
import { FilterUsersBody } from "@/lib/audience/filter-users-input";
import { apiRoute, reply } from "@/lib/http/route";

/**
 * GET: flat query parameters (repeatable company, city, …; the original service's snake_case names too).
 * apiRoute's query parsing keeps one value per name, so the handler reads the URL itself.
 */
export function GET(
  request: Request,
  context?: { params: Promise<Record<string, string | string[] | undefined>> },
): Promise<Response> {
  return apiRoute({
    scope: "read",
    handler: async ({ ctx }) =>
      reply(200, await filterUsers({ ctx, input: compileFlatParams(new URL(request.url).searchParams) })),
  })(request, context);
}

/** POST: `{ filter: <tree>, sort?, limit?, cursor? }`; a read, so it needs only the read scope. */
export const POST = apiRoute({
  scope: "read",
  body: FilterUsersBody,
  handler: async ({ ctx, body }) => reply(200, await filterUsers({ ctx, input: body })),
});
