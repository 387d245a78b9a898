import { trackClick } from "@/lib/tracking/track";

type Context = { params: Promise<{ token: string }> };

/** Tracked link: records the click and redirects to the original URL with UTM; unsigned tokens get 404. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  const location = await trackClick({ token, userAgent: request.headers.get("user-agent") });
  if (!location) {
    return new Response("Not found", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  return new Response(null, {
    status: 302,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
}
