import { trackOpen } from "@/lib/tracking/track";

type Context = { params: Promise<{ token: string }> };

// A transparent 1×1 GIF.
const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

/** Open pixel: always the GIF (a mail client shows nothing either way), records the open when signed. */
export async function GET(request: Request, { params }: Context): Promise<Response> {
  const { token } = await params;
  try {
    await trackOpen({ token, userAgent: request.headers.get("user-agent") });
  } catch (error) {
    // Never a broken image or a 500 for a pixel: the open is lost, the reader sees nothing.
    console.error("[tracking] open not recorded", error);
  }
  return new Response(new Uint8Array(PIXEL), {
    status: 200,
    headers: {
      "content-type": "image/gif",
      "content-length": String(PIXEL.length),
      "cache-control": "no-store, no-cache, must-revalidate, max-age=0",
      pragma: "no-cache",
    },
  });
}
