import { describe, expect, it } from "vitest";

import { openApiDocument } from "@/lib/openapi/document";

describe("audience operations in the OpenAPI document", () => {
  it("documents the filter endpoint and the segments resource", () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/users/filter",
        "/api/segments",
        "/api/segments/{id}",
        "/api/segments/{id}/count",
      ]),
    );
    expect(Object.keys(doc.paths["/api/users/filter"]!)).toEqual(expect.arrayContaining(["get", "post"]));
    expect(Object.keys(doc.paths["/api/segments/{id}"]!)).toEqual(
      expect.arrayContaining(["get", "patch", "delete"]),
    );
  });
});
