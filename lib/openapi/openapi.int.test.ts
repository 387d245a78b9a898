import { describe, expect, it } from "vitest";

import { GET as docs } from "@/app/api/docs/route";
import { GET as health } from "@/app/api/health/route";
import { GET as openapi } from "@/app/api/openapi.json/route";
import { setupIntegration } from "@/test/integration";

const fx = setupIntegration();

describe("GET /api/openapi.json", () => {
  it("documents every route with generated schemas, the bearer scheme and problem responses", async () => {
    const res = openapi();
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/users",
        "/api/users/{id}",
        "/api/events",
        "/api/events/{id}",
        "/api/events/{id}/register",
        "/api/events/{id}/register/{userId}",
        "/api/events/{id}/registrations",
      ]),
    );
    const create = doc.components.schemas.CreateEventInput;
    expect(create.required).toEqual(expect.arrayContaining(["title", "startAt", "endAt", "ownerId"]));
    expect(create.additionalProperties).toBe(false);
    expect(
      doc.paths["/api/events/{id}/register"].post.responses["409"].content["application/problem+json"],
    ).toBeDefined();
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
  });
});

describe("GET /api/docs", () => {
  it("renders a self-contained HTML page listing operations and error codes", async () => {
    const res = docs();
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("/api/events/{id}/register");
    expect(html).toContain('id="error-event_full"');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
  });
});

describe("GET /api/health", () => {
  it("reports both dependencies up, then 503 when DynamoDB is down", async () => {
    const up = await health();
    const body = await up.json();
    expect(up.status).toBe(200);
    expect(body).toMatchObject({ status: "ok", dynamodb: { ok: true }, ses: { ok: true } });
    expect(typeof body.dynamodb.latencyMs).toBe("number");
    await fx.aws.stop();
    const down = await health();
    expect(down.status).toBe(503);
    expect((await down.json()).dynamodb.ok).toBe(false);
  });
});
