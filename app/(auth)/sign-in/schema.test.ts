import { describe, expect, it } from "vitest";

import { MagicLinkInput, PasswordSignInInput } from "@/app/(auth)/sign-in/schema";

describe("sign-in inputs", () => {
  it("normalizes the email", () => {
    expect(PasswordSignInInput.parse({ email: "  Ada@Example.COM ", password: "x" })).toEqual({
      email: "ada@example.com",
      password: "x",
    });
  });

  it("rejects a malformed email and an empty password with field messages", () => {
    const result = PasswordSignInInput.safeParse({ email: "ada@", password: "" });
    expect(result.success).toBe(false);
    const fields = result.error?.issues.map((issue) => issue.path[0]);
    expect(fields).toEqual(expect.arrayContaining(["email", "password"]));
  });

  it("needs only the email for a magic link", () => {
    expect(MagicLinkInput.parse({ email: "zoe@example.com", password: "ignored" })).toEqual({
      email: "zoe@example.com",
    });
  });
});
