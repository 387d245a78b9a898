import { cva, type VariantProps } from "class-variance-authority";
import { CircleAlert, CircleCheck, Info, TriangleAlert } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";

import { cn } from "@/components/ui/cn";

const alertVariants = cva(
  "flex gap-3 rounded-lg border p-4 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0",
  {
    variants: {
      variant: {
        info: "bg-card text-card-foreground [&>svg]:text-primary",
        success: "border-success/40 bg-card [&>svg]:text-success",
        warning: "border-warning/40 bg-card [&>svg]:text-warning",
        destructive: "border-destructive/40 bg-card [&>svg]:text-destructive",
      },
    },
    defaultVariants: { variant: "info" },
  },
);

const icons = { info: Info, success: CircleCheck, warning: TriangleAlert, destructive: CircleAlert };

export interface AlertProps extends Omit<ComponentProps<"div">, "title">, VariantProps<typeof alertVariants> {
  title?: ReactNode;
  action?: ReactNode;
}

/** Errors and warnings use role="alert" so screen readers announce them; info stays polite. */
export function Alert({ className, variant, title, action, children, ...props }: AlertProps) {
  const Icon = icons[variant ?? "info"];
  const urgent = variant === "destructive" || variant === "warning";
  return (
    <div role={urgent ? "alert" : "status"} className={cn(alertVariants({ variant }), className)} {...props}>
      <Icon aria-hidden />
      <div className="flex min-w-0 flex-1 flex-col gap-1">
        {title ? <p className="font-medium leading-tight">{title}</p> : null}
        {children ? <div className="text-muted-foreground">{children}</div> : null}
        {action ? <div className="mt-2">{action}</div> : null}
      </div>
    </div>
  );
}
