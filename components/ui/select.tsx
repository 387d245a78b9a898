import { ChevronDown } from "lucide-react";
import type { ComponentProps } from "react";

import { cn } from "@/components/ui/cn";
import { fieldClasses } from "@/components/ui/input";

/**
 * A styled native `<select>`: the platform picker is accessible, keyboard-complete and touch-friendly
 * at 375 px, which a custom listbox would have to re-earn.
 */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <div className={cn("relative", className)}>
      <select className={cn(fieldClasses, "h-9 appearance-none py-1 pr-8")} {...props}>
        {children}
      </select>
      <ChevronDown
        aria-hidden
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-muted-foreground"
      />
    </div>
  );
}
