import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";

/** Native checkbox tinted with the primary colour; pair it with a `<Label>`. */
export function Checkbox({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <input
      type="checkbox"
      className={cn(
        "peer size-4 shrink-0 cursor-pointer rounded border-input accent-primary disabled:cursor-not-allowed disabled:opacity-50",
        className,
      )}
      {...props}
    />
  );
}
