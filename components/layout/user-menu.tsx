"use client";

import { LogOut, Settings } from "lucide-react";
import Link from "next/link";

import { initialsOf } from "@/components/layout/initials";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export interface ShellUser {
  name: string;
  email: string;
}

export function UserMenu({ user, signOutHref }: { user: ShellUser | null; signOutHref: string }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" aria-label="Account menu">
          {/* Initials drawn by CSS, not text: visible text would have to appear in the button's name (WCAG 2.5.3). */}
          <span
            aria-hidden
            data-initials={user ? initialsOf(user) : "?"}
            className="flex size-8 items-center justify-center rounded-full bg-accent text-xs font-semibold text-accent-foreground before:content-[attr(data-initials)]"
          />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-56">
        <DropdownMenuLabel className="flex flex-col gap-0.5">
          <span className="truncate text-sm font-medium text-foreground">{user?.name ?? "Account"}</span>
          {user ? <span className="truncate font-normal">{user.email}</span> : null}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/settings">
            <Settings aria-hidden />
            Settings
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <a href={signOutHref}>
            <LogOut aria-hidden />
            Sign out
          </a>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
