import { randomUUID } from "node:crypto";

import { authenticateSnsMessage, handleSnsMessage } from "@/lib/campaigns/ses-events";
import { readBodyText } from "@/lib/http/body";
import { problemResponse } from "@/lib/http/problem";

/**
 * SNS → SES event notifications. No API key (SNS cannot send one): the SNS signature in production, the
 * shared secret (`x-rally-ses-secret` header or `?secret=`) locally. SNS posts as text/plain.
 */
export async function POST(request: Request): Promise<Response> {
  const requestId = randomUUID();
  try {
    const secret =
      request.headers.get("x-rally-ses-secret") ?? new URL(request.url).searchParams.get("secret");
    const message = await authenticateSnsMessage(await readBodyText(request, 256 * 1024), { secret });
    const outcome = await handleSnsMessage(message);
    return Response.json(outcome, { status: 200, headers: { "x-request-id": requestId } });
  } catch (error) {
    return problemResponse(error, requestId);
  }
}
