import { describe, expect, it } from "vitest";

import { openApiDocument } from "@/lib/openapi/document";

describe("campaign operations in the OpenAPI document", () => {
  it("documents the send endpoint, the campaigns resource and the SES event endpoint", () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/emails/send",
        "/api/campaigns",
        "/api/campaigns/{id}",
        "/api/campaigns/{id}/send",
        "/api/campaigns/{id}/test",
        "/api/campaigns/{id}/pause",
        "/api/campaigns/{id}/resume",
        "/api/campaigns/{id}/cancel",
        "/api/campaigns/{id}/recipients",
        "/api/ses/events",
      ]),
    );
    expect(Object.keys(doc.paths["/api/campaigns/{id}"]!)).toEqual(
      expect.arrayContaining(["get", "patch", "delete"]),
    );
  });
});
