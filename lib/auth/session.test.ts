import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { hashMagicLinkToken, sessionCookie, wantsSecureCookies } from "@/lib/auth/config";
import { ctxFromMember } from "@/lib/auth/session";
import { requireScope } from "@/lib/context";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { type Member } from "@/lib/members/schemas";

const member = (role: Member["role"]): Member => ({
  id: "5b1f6f0e-1111-4222-8333-444455556666",
  email: "ada@rally.local",
  name: "Ada",
  role,
  hasPassword: true,
  createdAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
});

describe("session → Ctx", () => {
  it("maps a member to a member actor carrying role and derived scopes", () => {
    expect(ctxFromMember(member("viewer"), "req-1")).toEqual({
      actor: {
        kind: "member",
        memberId: "5b1f6f0e-1111-4222-8333-444455556666",
        email: "ada@rally.local",
        role: "viewer",
        scopes: ["read"],
      },
      requestId: "req-1",
    });
    expect(ctxFromMember(member("admin")).actor).toMatchObject({ role: "admin", scopes: ["read", "write"] });
  });

  it("maps no member (signed out, or removed since the JWT was issued) to no actor", () => {
    const ctx = ctxFromMember(null);
    expect(ctx.actor).toBeNull();
    expect(() => requireScope(ctx, "read")).toThrow(UnauthorizedError);
  });

  it("a viewer session cannot pass a write check", () => {
    expect(() => requireScope(ctxFromMember(member("viewer")), "write")).toThrow(ForbiddenError);
  });
});

describe("cookies and tokens", () => {
  it("uses secure, prefixed cookies except on plain-http localhost", () => {
    expect(wantsSecureCookies("http://localhost:3000")).toBe(false);
    expect(wantsSecureCookies("http://127.0.0.1:4100")).toBe(false);
    expect(wantsSecureCookies("https://localhost:3000")).toBe(true);
    expect(wantsSecureCookies("http://rally.example.com")).toBe(true);
    expect(sessionCookie("https://rally.example.com")).toEqual({
      name: "__Secure-rally.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
    expect(sessionCookie("http://127.0.0.1:3000").options.secure).toBe(false);
  });

  // lib/members/members.int.test.ts proves the pairing end to end through next-auth's email callback.
  it("hashes magic-link tokens as sha256(token + secret), next-auth's scheme", () => {
    const secret = "s".repeat(64);
    const token = "abc123";
    expect(hashMagicLinkToken(token, secret)).toBe(
      createHash("sha256").update(`${token}${secret}`).digest("hex"),
    );
  });
});
