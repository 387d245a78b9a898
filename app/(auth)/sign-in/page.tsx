import type { Metadata } from "next";
import Link from "next/link";

import { SignInForm } from "@/app/(auth)/sign-in/sign-in-form";
import { Brand } from "@/components/layout/brand";
import { ThemeToggle } from "@/components/theme/theme-toggle";

export const metadata: Metadata = { title: "Sign in" };

// The lead passes server actions here once auth exists: <SignInForm onPasswordSignIn={...} onMagicLink={...} />.
export default function SignInPage() {
  return (
    <div className="flex min-h-dvh flex-col bg-muted/40 dark:bg-background">
      <header className="flex items-center justify-between px-4 py-4 sm:px-6">
        <Brand />
        <ThemeToggle />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-8 pb-16 sm:items-center sm:pt-0">
        <div className="flex w-full max-w-sm flex-col gap-6">
          <div className="flex flex-col gap-2 text-center">
            <h1 className="text-2xl font-semibold tracking-tight">Sign in to Rally</h1>
            <p className="text-sm text-muted-foreground">
              Welcome back. Use your password or get a link by email.
            </p>
          </div>
          <div className="rounded-xl border bg-card p-6 shadow-sm dark:shadow-none">
            <SignInForm />
          </div>
          <p className="text-center text-xs text-muted-foreground">
            By signing in you agree to use Rally for events you organize.{" "}
            <Link href="/" className="underline underline-offset-4 hover:text-foreground">
              Back home
            </Link>
          </p>
        </div>
      </main>
    </div>
  );
}
