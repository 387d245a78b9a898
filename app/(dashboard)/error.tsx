"use client";

import { useEffect } from "react";

import { ErrorState } from "@/components/ui/error-state";

/** Keeps the shell (and its <main>) on screen when a dashboard page fails to render. */
export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return <ErrorState title="This page could not be shown" digest={error.digest} onRetry={reset} />;
}
