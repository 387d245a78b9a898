import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { sendMagicLink, signInWithPassword } from "@/app/(auth)/sign-in/actions";
import { SignInForm } from "@/app/(auth)/sign-in/sign-in-form";
import { Brand } from "@/components/layout/brand";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Alert } from "@/components/ui/alert";
import { getSessionMember } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

// next-auth sends failed magic links here as ?error=<code>; show a plain sentence, never the raw code.
const ERRORS: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one.",
  AccessDenied: "That email is not a member of this team.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await getSessionMember()) redirect("/events");
  const { error } = await searchParams;
  const message = error ? (ERRORS[error] ?? "Sign-in failed. Please try again.") : null;
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
          {message ? <Alert variant="destructive">{message}</Alert> : null}
          <div className="rounded-xl border bg-card p-6 shadow-sm dark:shadow-none">
            <SignInForm onPasswordSignIn={signInWithPassword} onMagicLink={sendMagicLink} />
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
