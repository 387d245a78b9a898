import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

/** Decorative placeholder; the surrounding region should carry `aria-busy` and a text status. */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />;
}
