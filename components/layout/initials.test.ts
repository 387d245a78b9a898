import { describe, expect, it } from "vitest";

import { initialsOf } from "@/components/layout/initials";

describe("initialsOf", () => {
  it("takes the first and last name's initials", () => {
    expect(initialsOf({ name: "Ada King Lovelace", email: "ada@example.com" })).toBe("AL");
  });

  it("uses one initial for a single name and upper-cases it", () => {
    expect(initialsOf({ name: "grace", email: "g@example.com" })).toBe("G");
  });

  it("falls back to the email when the name is blank", () => {
    expect(initialsOf({ name: "   ", email: "zoe@example.com" })).toBe("Z");
  });
});
