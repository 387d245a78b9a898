"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { UserPlus, Users } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";

import {
  cancelRegistrationAction,
  listRegistrationsAction,
  registerUserAction,
  type RegistrationRow,
} from "@/app/(dashboard)/events/actions";
import { UserPicker } from "@/app/(dashboard)/events/_components/user-picker";
import { DataTable } from "@/components/data-table/data-table";
import { dataTableColumnHelper } from "@/components/data-table/features";
import { useCursorPagination } from "@/components/data-table/use-cursor-pagination";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/components/ui/toaster";
import { type Page } from "@/lib/db/cursor";
import { type UserMatch } from "@/lib/users/search-users";

const col = dataTableColumnHelper<RegistrationRow>();
const baseColumns = col.columns([
  col.accessor("name", { header: "Name", size: 200 }),
  col.accessor("email", { header: "Email", size: 240 }),
  col.accessor("registeredAt", {
    header: "Registered",
    size: 200,
    cell: (info) =>
      new Date(info.getValue()).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" }),
  }),
  col.accessor("source", { header: "Source", size: 110 }),
]);

function CancelButton({
  row,
  onCancel,
}: {
  row: RegistrationRow;
  onCancel: (row: RegistrationRow) => Promise<void>;
}) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      aria-label={`Cancel registration of ${row.name}`}
      onClick={async () => {
        setPending(true);
        await onCancel(row);
        setPending(false);
      }}
    >
      {pending ? <Spinner label="Cancelling" /> : null}
      Cancel
    </Button>
  );
}

export function RegistrationsPanel({
  eventId,
  firstPage,
  canWrite,
}: {
  eventId: string;
  firstPage: Page<RegistrationRow>;
  canWrite: boolean;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const pages = useCursorPagination(eventId);
  const [picked, setPicked] = useState<UserMatch[]>([]);
  const [registering, setRegistering] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ["registrations", eventId, pages.cursor ?? null],
    queryFn: async () => {
      const result = await listRegistrationsAction(eventId, pages.cursor ?? undefined);
      if (!result.ok) throw new Error(result.problem.detail);
      return result.data;
    },
    initialData: pages.cursor ? undefined : firstPage,
  });

  async function afterChange() {
    await queryClient.invalidateQueries({ queryKey: ["registrations", eventId] });
    router.refresh(); // counts, fill bar and chart come from the server page
  }

  async function register() {
    const user = picked[0];
    if (!user) return setError("Pick a user to register.");
    setError(null);
    setRegistering(true);
    const result = await registerUserAction(eventId, user.id).catch(() => null);
    setRegistering(false);
    if (!result) return setError("Something went wrong. Please try again.");
    if (!result.ok) return setError(result.problem.detail);
    setPicked([]);
    toast.success(`${user.name} is registered`);
    await afterChange();
  }

  async function cancel(row: RegistrationRow) {
    const result = await cancelRegistrationAction(eventId, row.userId).catch(() => null);
    if (!result?.ok) {
      toast.error(result ? result.problem.detail : "Could not cancel. Please try again.");
      return;
    }
    toast.success(`Registration of ${row.name} cancelled`);
    await afterChange();
  }

  // Columns stay stable across renders; the cell reads the latest handler through a ref.
  const cancelRef = useRef(cancel);
  useEffect(() => {
    cancelRef.current = cancel;
  });
  const columns = useMemo(
    () =>
      canWrite
        ? [
            ...baseColumns,
            col.display({
              id: "actions",
              header: () => <span className="sr-only">Actions</span>,
              size: 120,
              cell: (info) => <CancelButton row={info.row.original} onCancel={(r) => cancelRef.current(r)} />,
            }),
          ]
        : baseColumns,
    [canWrite],
  );

  return (
    <section aria-labelledby="registrations-heading" className="flex flex-col gap-4">
      <h2 id="registrations-heading" className="text-lg font-semibold">
        Registrations
      </h2>
      {canWrite ? (
        <div className="flex flex-col gap-2 rounded-xl border bg-card p-4">
          <Label htmlFor="register-user">Register a user</Label>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <div className="flex-1">
              <UserPicker id="register-user" value={picked} onChange={setPicked} />
            </div>
            <Button onClick={register} disabled={registering}>
              {registering ? <Spinner label="Registering" /> : <UserPlus aria-hidden />}
              Register
            </Button>
          </div>
          {error ? <Alert variant="destructive">{error}</Alert> : null}
        </div>
      ) : null}
      <DataTable
        label="Registrations"
        columns={columns}
        data={query.data?.items}
        getRowId={(r) => r.userId}
        status={query.status}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={() => void query.refetch()}
        empty={
          <EmptyState
            icon={Users}
            headingLevel={3}
            title="No registrations yet"
            description="Share the public page or register someone here."
          />
        }
        paging={pages.pagingFor(query.data?.nextCursor)}
      />
    </section>
  );
}
