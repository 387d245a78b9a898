import { decodeFilterParam } from "@/components/data-table/url-state";
import { exportUsersCsv } from "@/lib/audience/filter-users";
import { FilterTree, MATCH_ALL, SORT_FIELDS, type SortSpec } from "@/lib/audience/schemas";
import { getSessionCtx } from "@/lib/auth/session";
import { ValidationError } from "@/lib/errors";
import { problemResponse } from "@/lib/http/problem";

function sortOf(raw: string | null): SortSpec | undefined {
  if (!raw) return undefined;
  const desc = raw.startsWith("-");
  const field = (SORT_FIELDS as readonly string[]).find((f) => f === (desc ? raw.slice(1) : raw));
  if (!field) throw new ValidationError("Invalid sort.", [{ field: "sort", message: "Unknown sort field." }]);
  return { field: field as SortSpec["field"], order: desc ? "desc" : "asc" };
}

/**
 * CSV of every user matching the Users page's filter (`?filter=<token>&sort=-field`), streamed. Session-checked
 * by the verb (signed-out → 401 problem); a corrupt filter token is a 400, never "everyone".
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const token = params.get("filter");
    const filter = token ? decodeFilterParam(token, FilterTree) : MATCH_ALL;
    if (filter === null)
      throw new ValidationError("Invalid filter.", [
        { field: "filter", message: "Not a valid filter token." },
      ]);
    const stream = await exportUsersCsv({
      ctx: await getSessionCtx(),
      input: { filter, sort: sortOf(params.get("sort")) },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="rally-users-${day}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return problemResponse(error);
  }
}
