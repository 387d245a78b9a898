"use client";

import { useTheme } from "next-themes";
import { Toaster as Sonner } from "sonner";

export { toast } from "sonner";

/** Mount once (in Providers); call `toast(...)` / `toast.error(...)` anywhere in client code. */
export function Toaster() {
  const { resolvedTheme } = useTheme();
  return (
    <Sonner
      theme={resolvedTheme === "dark" ? "dark" : "light"}
      position="bottom-right"
      closeButton
      toastOptions={{
        classNames: {
          toast: "rounded-lg! border! border-border! bg-popover! text-popover-foreground! shadow-lg!",
          description: "text-muted-foreground!",
        },
      }}
    />
  );
}
