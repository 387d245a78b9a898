import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

export function Label({ className, ...props }: ComponentProps<"label">) {
  return (
    <label
      className={cn(
        "flex select-none items-center gap-2 text-sm font-medium leading-none peer-disabled:opacity-50",
        className,
      )}
      {...props}
    />
  );
}

/** Helper or error text under a field; give it an id and point the control's aria-describedby at it. */
export function FieldMessage({
  className,
  tone = "muted",
  ...props
}: ComponentProps<"p"> & { tone?: "muted" | "error" }) {
  return (
    <p
      className={cn("text-xs", tone === "error" ? "text-destructive" : "text-muted-foreground", className)}
      {...props}
    />
  );
}
