import { resolveUnsubscribe } from "@/lib/campaigns/links";
import { readBodyText } from "@/lib/http/body";
import { unsubscribe } from "@/lib/tracking/track";
import { unsubscribePage } from "@/app/u/[token]/page-html";

type Context = { params: Promise<{ token: string }> };

const HTML = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };

/**
 * Shows a confirmation page and changes nothing: link scanners and prefetchers follow GETs, so only the
 * POST (the page's button, or a mail client's RFC 8058 one-click POST) unsubscribes.
 */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  const valid = resolveUnsubscribe(token) !== null;
  return new Response(unsubscribePage(valid ? "confirm" : "invalid", new URL(request.url).pathname), {
    status: valid ? 200 : 404,
    headers: HTML,
  });
}

/**
 * RFC 8058 one-click unsubscribe. Mail clients POST `List-Unsubscribe=One-Click` form-encoded with no cookies
 * or CSRF token, so the signed token is the only authorisation; any body is accepted (the page's own form
 * sends the same field).
 */
export async function POST(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  await readBodyText(request, 8 * 1024).catch(() => "");
  const done = await unsubscribe({ token });
  return new Response(unsubscribePage(done ? "done" : "invalid", new URL(request.url).pathname), {
    status: done ? 200 : 404,
    headers: HTML,
  });
}
