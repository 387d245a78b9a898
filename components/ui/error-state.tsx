import { RefreshCw, TriangleAlert } from "lucide-react";

import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

export interface ErrorStateProps {
  title?: string;
  description?: string;
  /** Next's error digest: safe to show, lets support find the server log line. */
  digest?: string;
  onRetry?: () => void;
  /** The page's heading level: 1 when it replaces a whole page, 2 inside one. */
  headingLevel?: 1 | 2;
  className?: string;
}

/** A failed page or section. Never shows the error message itself: it may carry internals. */
export function ErrorState({
  title = "Something went wrong",
  description = "Try again in a moment. If it keeps happening, send us the reference below.",
  digest,
  onRetry,
  headingLevel = 1,
  className,
}: ErrorStateProps) {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <div
      role="alert"
      className={cn(
        "mx-auto flex max-w-md flex-col items-center justify-center gap-4 py-16 text-center",
        className,
      )}
    >
      <span className="flex size-12 items-center justify-center rounded-full bg-destructive/10 text-destructive">
        <TriangleAlert aria-hidden className="size-6" />
      </span>
      <Heading className="text-2xl font-semibold tracking-tight">{title}</Heading>
      <p className="text-sm text-muted-foreground">{description}</p>
      {digest ? (
        <p className="rounded-md bg-muted px-2 py-1 font-mono text-xs text-muted-foreground">
          Reference: {digest}
        </p>
      ) : null}
      {onRetry ? (
        <Button onClick={onRetry}>
          <RefreshCw aria-hidden />
          Try again
        </Button>
      ) : null}
    </div>
  );
}
