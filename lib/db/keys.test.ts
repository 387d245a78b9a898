import { describe, expect, it } from "vitest";

import * as keys from "@/lib/db/keys";

describe("key grammar", () => {
  it("builds the documented keys", () => {
    expect(keys.userKey("u1")).toEqual({ PK: "USER#u1", SK: "PROFILE" });
    expect(keys.userListKeys("2026-01-01T00:00:00.000Z", "u1")).toEqual({
      GSI1PK: "USERS",
      GSI1SK: "2026-01-01T00:00:00.000Z#u1",
    });
    expect(keys.emailGuardKey("  Ada@Example.COM ")).toEqual({ PK: "EMAIL#ada@example.com", SK: "GUARD" });
    expect(keys.eventKey("e1")).toEqual({ PK: "EVENT#e1", SK: "DETAILS" });
    expect(keys.eventListKeys("2027-01-01T10:00:00.000Z", "e1")).toEqual({
      GSI1PK: "EVENTS",
      GSI1SK: "2027-01-01T10:00:00.000Z#e1",
    });
    expect(keys.slugGuardKey("launch")).toEqual({ PK: "SLUG#launch", SK: "GUARD" });
    expect(keys.hostLinkKey("e1", "u1")).toEqual({ PK: "EVENT#e1", SK: "HOST#u1" });
    expect(keys.hostLinkUserKeys("u1", "2027-01-01T10:00:00.000Z", "e1")).toEqual({
      GSI2PK: "USER#u1",
      GSI2SK: "HOST#2027-01-01T10:00:00.000Z#e1",
    });
    expect(keys.registrationKey("e1", "u1")).toEqual({ PK: "EVENT#e1", SK: "REG#u1" });
    expect(keys.registrationUserKeys("u1", "2026-02-02T00:00:00.000Z", "e1")).toEqual({
      GSI2PK: "USER#u1",
      GSI2SK: "REG#2026-02-02T00:00:00.000Z#e1",
    });
    expect(keys.apiKeyKey("ab12")).toEqual({ PK: "APIKEY#ab12", SK: "KEY" });
    expect(keys.apiKeyListKeys("2026-01-01T00:00:00.000Z", "k1")).toEqual({
      GSI1PK: "APIKEYS",
      GSI1SK: "2026-01-01T00:00:00.000Z#k1",
    });
    expect(keys.idempotencyKey("k1", "abc")).toEqual({ PK: "IDEMP#k1#abc", SK: "IDEMP" });
    expect(keys.seedMarkerKey("v1")).toEqual({ PK: "META#seed", SK: "v1" });
  });

  it("sorts list keys chronologically because timestamps are normalised UTC ISO strings", () => {
    const a = keys.eventListKeys(new Date("2027-01-01T10:00:00+02:00").toISOString(), "x").GSI1SK;
    const b = keys.eventListKeys(new Date("2027-01-01T09:30:00Z").toISOString(), "y").GSI1SK;
    expect(a < b).toBe(true);
  });

  it("idFromKey strips prefixes and refuses foreign keys", () => {
    expect(keys.idFromKey("USER#42", keys.USER_PREFIX)).toBe("42");
    expect(() => keys.idFromKey("EVENT#42", keys.USER_PREFIX)).toThrow();
  });
});
