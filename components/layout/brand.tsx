import Link from "next/link";

import { cn } from "@/components/ui/cn";

/** The Rally wordmark; links home. */
export function Brand({ className, href = "/" }: { className?: string; href?: string }) {
  return (
    <Link
      href={href}
      className={cn(
        "flex items-center gap-2 rounded-md text-base font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-ring",
        className,
      )}
    >
      <span
        aria-hidden
        className="flex size-7 items-center justify-center rounded-lg bg-primary text-sm font-bold text-primary-foreground"
      >
        R
      </span>
      Rally
    </Link>
  );
}
