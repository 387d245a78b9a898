import { checkHealth } from "@/lib/http/health";

export const dynamic = "force-dynamic";

/** Unauthenticated liveness/readiness: 200 while DynamoDB answers, 503 when it does not. */
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  return Response.json(health, {
    status: health.status === "down" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
