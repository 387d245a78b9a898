import { Spinner } from "@/components/ui/spinner";

export default function Loading() {
  return (
    <div className="flex min-h-[50dvh] items-center justify-center gap-2 text-sm text-muted-foreground">
      <Spinner className="size-5" label="Loading page" />
      <span aria-hidden>Loading…</span>
    </div>
  );
}
