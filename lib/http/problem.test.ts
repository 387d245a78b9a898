import { describe, expect, it, vi } from "vitest";
import { z } from "zod";

import { ConflictError, NotFoundError, UnavailableError } from "@/lib/errors";
import { problemResponse, toProblem } from "@/lib/http/problem";

describe("problem map", () => {
  it("maps domain codes to statuses", () => {
    expect(toProblem(new NotFoundError("Event", "e1"))).toMatchObject({
      status: 404,
      code: "not_found",
      detail: "Event e1 was not found.",
    });
    expect(toProblem(new ConflictError("full", [], "event_full"))).toMatchObject({
      status: 409,
      code: "event_full",
    });
    expect(toProblem(new UnavailableError())).toMatchObject({ status: 503, code: "unavailable" });
  });

  it("turns ZodError issues into named fields, one per unknown key", () => {
    const schema = z.object({ a: z.string(), nested: z.object({ b: z.number() }) }).strict();
    const result = schema.safeParse({ a: 1, nested: { b: "x" }, extra: 1, more: 2 });
    const problem = toProblem(result.error);
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["a", "extra", "more", "nested.b"]);
  });

  it("hides unknown errors behind a generic 500 and only logs the cause", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = problemResponse(new Error("secret connection string xyz"), "req-1");
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const text = await response.text();
    expect(text).not.toContain("secret");
    expect(JSON.parse(text)).toMatchObject({ code: "internal", requestId: "req-1" });
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
