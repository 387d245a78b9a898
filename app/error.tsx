"use client";

import { RefreshCw } from "lucide-react";
import { useEffect } from "react";

import { Button } from "@/components/ui/button";

/** Catches render errors below the root layout; shows the digest, never the message (it may hold internals). */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main className="mx-auto flex min-h-[60dvh] max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold text-destructive">Something went wrong</p>
      <h1 className="text-2xl font-semibold tracking-tight">This page could not be shown</h1>
      <p className="text-sm text-muted-foreground">
        Try again in a moment. If it keeps happening, send us the reference below.
      </p>
      {error.digest ? (
        <p className="rounded-md bg-muted px-2 py-1 font-mono text-xs text-muted-foreground">
          Reference: {error.digest}
        </p>
      ) : null}
      <Button onClick={reset}>
        <RefreshCw aria-hidden />
        Try again
      </Button>
    </main>
  );
}
