"use client";

import { useEffect } from "react";

import { ErrorState } from "@/components/ui/error-state";

/** Catches render errors below the root layout. */
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
    <main className="min-h-[60dvh] px-6">
      <ErrorState title="This page could not be shown" digest={error.digest} onRetry={reset} />
    </main>
  );
}
