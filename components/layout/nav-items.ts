import { CalendarDays, ChartColumn, Mail, Settings, Users, type LucideIcon } from "lucide-react";

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
}

/** The dashboard's sections, in sidebar order. */
export const navItems: readonly NavItem[] = [
  { href: "/users", label: "Users", icon: Users },
  { href: "/events", label: "Events", icon: CalendarDays },
  { href: "/campaigns", label: "Campaigns", icon: Mail },
  { href: "/analytics", label: "Analytics", icon: ChartColumn },
  { href: "/settings", label: "Settings", icon: Settings },
];

/** True when `pathname` is the item's page or one of its sub-pages (`/events/123` → Events). */
export function isNavItemActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
