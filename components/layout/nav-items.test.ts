import { describe, expect, it } from "vitest";

import { isNavItemActive, navItems } from "@/components/layout/nav-items";

describe("isNavItemActive", () => {
  it("matches the page itself and its sub-pages", () => {
    expect(isNavItemActive("/events", "/events")).toBe(true);
    expect(isNavItemActive("/events/evt_1/registrations", "/events")).toBe(true);
  });

  it("does not match a sibling that shares a prefix", () => {
    expect(isNavItemActive("/events-archive", "/events")).toBe(false);
    expect(isNavItemActive("/", "/events")).toBe(false);
  });

  it("lists the five dashboard sections in order", () => {
    expect(navItems.map((item) => item.label)).toEqual([
      "Users",
      "Events",
      "Campaigns",
      "Analytics",
      "Settings",
    ]);
  });
});
