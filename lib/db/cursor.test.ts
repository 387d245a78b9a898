import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { decodeCursor, encodeCursor } from "@/lib/db/cursor";
import { ValidationError } from "@/lib/errors";

const shape = {
  attributes: ["PK", "SK", "GSI1PK", "GSI1SK"],
  fixed: { GSI1PK: "USERS", SK: "PROFILE" },
} as const;

describe("cursor encoding", () => {
  it("round-trips any LastEvaluatedKey of the expected shape", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.string({ minLength: 1, maxLength: 80 }),
        (id, sk) => {
          const key = { PK: `USER#${id}`, SK: "PROFILE", GSI1PK: "USERS", GSI1SK: sk };
          const cursor = encodeCursor(key);
          expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(decodeCursor(cursor!, shape)).toEqual(key);
        },
      ),
    );
  });

  it("is null at the end and undefined when absent", () => {
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined, shape)).toBeUndefined();
  });

  it("rejects garbage, wrong shapes, non-strings and cursors from other lists", () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const bad = [
      "***",
      "bm90IGpzb24",
      enc([1, 2]),
      enc({ PK: "USER#1", SK: "PROFILE", GSI1PK: "USERS" }),
      enc({ PK: "USER#1", SK: "PROFILE", GSI1PK: "USERS", GSI1SK: 5 }),
      enc({ PK: "USER#1", SK: "PROFILE", GSI1PK: "EVENTS", GSI1SK: "x" }),
      enc({ PK: "USER#1", SK: "PROFILE", GSI1PK: "USERS", GSI1SK: "x", extra: "y" }),
    ];
    for (const cursor of bad) {
      expect(() => decodeCursor(cursor, shape), cursor).toThrow(ValidationError);
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          decodeCursor(s, shape);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
    );
  });

  it("checks required prefixes", () => {
    const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const regShape = { attributes: ["PK", "SK"], fixed: { PK: "EVENT#e1" }, prefixes: { SK: "REG#" } };
    expect(decodeCursor(enc({ PK: "EVENT#e1", SK: "REG#u1" }), regShape)).toEqual({
      PK: "EVENT#e1",
      SK: "REG#u1",
    });
    expect(() => decodeCursor(enc({ PK: "EVENT#e1", SK: "HOST#u1" }), regShape)).toThrow(ValidationError);
  });
});
