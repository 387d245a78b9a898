import { type NextRequest, NextResponse } from "next/server";

import { sessionCookie } from "@/lib/auth/config";

/**
 * Convenience redirect only: signed-out visitors of dashboard pages go to /sign-in. It checks that a session
 * cookie exists, not that it is valid; every page, action and verb checks the session and role again.
 */
export function proxy(request: NextRequest) {
  const { name } = sessionCookie();
  if (request.cookies.has(name)) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = "";
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/users/:path*", "/events/:path*", "/campaigns/:path*", "/analytics/:path*", "/settings/:path*"],
};
