import { breakdownCsv } from "@/lib/analytics/csv";
import { getAnalyticsBreakdown } from "@/lib/analytics/get-breakdown";
import { BreakdownQuery, type BreakdownResponse } from "@/lib/analytics/schemas";
import { apiRoute, reply } from "@/lib/http/route";

const breakdownJson = apiRoute({
  scope: "read",
  query: BreakdownQuery,
  handler: async ({ ctx, query }) => reply(200, await getAnalyticsBreakdown({ ctx, input: query })),
});

function wantsCsv(request: Request): boolean {
  const format = new URL(request.url).searchParams.get("format");
  if (format !== null) return format === "csv";
  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(request.headers.get("accept") ?? "");
}

/** JSON by default; CSV with `?format=csv` or `Accept: text/csv`. Errors stay problem+json either way. */
export async function GET(
  request: Request,
  context?: { params: Promise<Record<string, string | string[] | undefined>> },
): Promise<Response> {
  const response = await breakdownJson(request, context);
  if (response.status !== 200 || !wantsCsv(request)) return response;
  const body = (await response.json()) as BreakdownResponse;
  const headers = new Headers(response.headers);
  headers.set("content-type", "text/csv; charset=utf-8");
  headers.set("content-disposition", `attachment; filename="rally-breakdown-${body.by}.csv"`);
  return new Response(breakdownCsv(body.by, body.rows), { status: 200, headers });
}
