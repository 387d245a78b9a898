import { Skeleton } from "@/components/ui/skeleton";

/** Keeps the shell on screen and sketches a page header and table while a dashboard page loads. */
export default function DashboardLoading() {
  return (
    <div aria-busy className="flex flex-col gap-6">
      <span className="sr-only" role="status">
        Loading page
      </span>
      <div className="flex flex-col gap-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-72 max-w-full" />
      </div>
      <Skeleton className="h-80 w-full rounded-xl" />
    </div>
  );
}
