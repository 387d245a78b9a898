import { cn } from "@/components/ui/cn";

/** Registrations against capacity; a meter for screen readers, text for everyone. */
export function FillBar({
  count,
  capacity,
  className,
}: {
  count: number;
  capacity: number | null;
  className?: string;
}) {
  if (capacity === null)
    return (
      <span className={cn("text-sm text-muted-foreground tabular-nums", className)}>{count} · no limit</span>
    );
  const ratio = capacity > 0 ? Math.min(count / capacity, 1) : 1;
  const tone = ratio >= 1 ? "bg-destructive" : ratio >= 0.8 ? "bg-warning" : "bg-primary";
  return (
    <div className={cn("flex min-w-32 items-center gap-2", className)}>
      <div
        role="meter"
        aria-label="Registrations"
        aria-valuemin={0}
        aria-valuemax={capacity}
        aria-valuenow={Math.min(count, capacity)}
        aria-valuetext={`${count} of ${capacity}`}
        className="h-2 flex-1 overflow-hidden rounded-full bg-muted"
      >
        <div className={cn("h-full rounded-full", tone)} style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
      <span className="text-sm whitespace-nowrap tabular-nums">
        {count} / {capacity}
      </span>
    </div>
  );
}
