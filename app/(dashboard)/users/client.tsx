"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Download, Mail, Pencil, Plus, Save, Trash2, Users } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";

import { deleteUserAction, facetUsersAction, filterUsersAction } from "@/app/(dashboard)/users/actions";
import { SaveSegmentDialog } from "@/app/(dashboard)/users/_components/save-segment-dialog";
import { UserDialog } from "@/app/(dashboard)/users/_components/user-dialog";
import { DataTable } from "@/components/data-table/data-table";
import { TableSearch } from "@/components/data-table/table-search";
import {
  decodeFilterParam,
  encodeFilterParam,
  type TableUrlOptions,
  updateTableSearchParams,
} from "@/components/data-table/url-state";
import { useCursorPagination } from "@/components/data-table/use-cursor-pagination";
import { useTableUrlState } from "@/components/data-table/use-table-url-state";
import { USER_SORTABLE_COLUMNS, userActionsColumn, userColumns } from "@/components/users/columns";
import { type EventOption, FilterChips } from "@/components/users/filter-chips";
import {
  EMPTY_FILTER_STATE,
  type FilterState,
  isEmptyState,
  stateToTree,
  treeToState,
  withoutKeyword,
} from "@/components/users/filter-state";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { toast } from "@/components/ui/toaster";
import { type AudienceUser, FilterTree, type KeywordField } from "@/lib/audience/schemas";

const URL_OPTIONS: TableUrlOptions = {
  sortableColumns: USER_SORTABLE_COLUMNS,
  defaultSorting: [{ id: "lastName", desc: false }],
  pageSizes: [50, 100, 200],
};

// The audience index follows writes within about a second; refetch after that so the grid shows them.
const INDEX_LAG_MS = 1200;

export function UsersClient({ canWrite, events }: { canWrite: boolean; events: EventOption[] }) {
  const url = useTableUrlState(URL_OPTIONS);
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const queryClient = useQueryClient();

  const tree = useMemo(() => decodeFilterParam(url.filterToken, FilterTree), [url.filterToken]);
  // null: the link carries a tree the chips cannot show (e.g. an `any`); it still filters the grid.
  const chips = useMemo(() => treeToState(tree), [tree]);
  const queryTree = useMemo<FilterTree>(() => {
    if (chips) return stateToTree(chips, url.q);
    const base = tree ?? { all: [] };
    return url.q.trim() ? { all: [base, { q: url.q.trim() }] } : base;
  }, [chips, tree, url.q]);
  const sorting = url.sorting[0] ?? { id: "lastName", desc: false };
  const sort = `${sorting.desc ? "-" : ""}${sorting.id}`;

  /** Filter changes push a history entry, so the back button steps through them. */
  const setFilter = useCallback(
    (next: FilterState) => {
      const token = isEmptyState(next) ? null : encodeFilterParam(stateToTree(next));
      const params = updateTableSearchParams(
        new URLSearchParams(searchParams.toString()),
        { filter: token },
        URL_OPTIONS,
      );
      const query = params.toString();
      window.history.pushState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [searchParams, pathname],
  );

  const pages = useCursorPagination(JSON.stringify([sort, url.q, url.filterToken, url.pageSize]));
  const query = useQuery({
    queryKey: ["users", "filter", queryTree, sort, url.pageSize, pages.cursor],
    queryFn: async () => {
      const result = await filterUsersAction({
        filter: queryTree,
        sort,
        limit: url.pageSize,
        ...(pages.cursor && { cursor: pages.cursor }),
      });
      if (!result.ok) throw new Error(result.problem.detail);
      return result.data;
    },
    placeholderData: keepPreviousData,
    // Keeps the total live while the page is open.
    refetchInterval: 15_000,
  });

  const loadFacets = useCallback(
    async (field: KeywordField) => {
      const base = chips ? stateToTree(withoutKeyword(chips, field), url.q) : queryTree;
      const result = await facetUsersAction(base, [field]);
      if (!result.ok) throw new Error(result.problem.detail);
      return result.data[field] ?? [];
    },
    [chips, queryTree, url.q],
  );

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ["users"] });
    setTimeout(() => void queryClient.invalidateQueries({ queryKey: ["users"] }), INDEX_LAG_MS);
  }, [queryClient]);

  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AudienceUser | null>(null);
  const [deleting, setDeleting] = useState<AudienceUser | null>(null);
  const [saving, setSaving] = useState(false);

  const columns = useMemo(
    () =>
      canWrite
        ? [
            ...userColumns,
            userActionsColumn((user) => (
              <div className="flex gap-1">
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Edit ${user.firstName} ${user.lastName}`}
                  onClick={() => setEditing(user)}
                >
                  <Pencil aria-hidden />
                </Button>
                <Button
                  variant="ghost"
                  size="icon-sm"
                  aria-label={`Delete ${user.firstName} ${user.lastName}`}
                  onClick={() => setDeleting(user)}
                >
                  <Trash2 aria-hidden />
                </Button>
              </div>
            )),
          ]
        : userColumns,
    [canWrite],
  );

  const token = encodeFilterParam(queryTree);
  const hasFilter = !isEmptyState(chips ?? EMPTY_FILTER_STATE) || chips === null || url.q.trim() !== "";
  const exportHref = `/users/export?${new URLSearchParams({ filter: token, sort }).toString()}`;

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <Button variant="outline" size="sm" asChild>
          <a href={exportHref} download>
            <Download aria-hidden />
            Export CSV
          </a>
        </Button>
        {canWrite ? (
          <>
            <Button variant="outline" size="sm" onClick={() => setSaving(true)}>
              <Save aria-hidden />
              Save as segment
            </Button>
            <Button variant="outline" size="sm" asChild>
              <Link href={`/campaigns/new?filter=${token}`}>
                <Mail aria-hidden />
                Email these users
              </Link>
            </Button>
            <Button size="sm" onClick={() => setCreating(true)}>
              <Plus aria-hidden />
              New user
            </Button>
          </>
        ) : null}
        <p className="ml-auto text-sm text-muted-foreground" aria-live="polite" data-testid="users-total">
          {query.data
            ? `${query.data.total.toLocaleString("en-US")} ${query.data.total === 1 ? "user" : "users"} match`
            : "\u00a0"}
        </p>
      </div>

      {chips === null ? (
        <Alert
          title="Custom filter"
          action={
            <Button variant="outline" size="sm" onClick={() => setFilter(EMPTY_FILTER_STATE)}>
              Clear
            </Button>
          }
        >
          This link carries a filter the chips cannot show; the list below applies it.
        </Alert>
      ) : null}

      <DataTable
        label="Users"
        columns={columns}
        data={query.data?.items}
        getRowId={(u) => u.id}
        status={query.status}
        isFetching={query.isFetching}
        error={query.error}
        onRetry={() => void query.refetch()}
        sorting={url.sorting}
        onSortingChange={url.setSorting}
        columnVisibility={url.visibility}
        onColumnVisibilityChange={url.setVisibility}
        total={query.data?.total}
        empty={
          <EmptyState
            icon={Users}
            title={hasFilter ? "No users match" : "No users yet"}
            description={
              hasFilter
                ? "Loosen or clear the filters to see more people."
                : "People appear here as soon as they subscribe or register."
            }
          />
        }
        paging={pages.pagingFor(query.data?.nextCursor)}
        toolbar={
          <div className="flex min-w-0 flex-1 flex-col gap-2">
            <TableSearch
              value={url.q}
              onChange={url.setQuery}
              label="Search users"
              placeholder="Name or email…"
            />
            <FilterChips
              state={chips ?? EMPTY_FILTER_STATE}
              onChange={setFilter}
              events={events}
              loadFacets={loadFacets}
            />
          </div>
        }
      />

      {canWrite ? (
        <>
          <SaveSegmentDialog open={saving} onOpenChange={setSaving} filter={queryTree} />
          <UserDialog
            open={creating}
            onOpenChange={setCreating}
            mode="create"
            onSaved={() => {
              toast.success("User created");
              refresh();
            }}
          />
          <UserDialog
            open={editing !== null}
            onOpenChange={(open) => !open && setEditing(null)}
            mode="edit"
            user={editing ?? undefined}
            onSaved={() => {
              toast.success("User saved");
              refresh();
            }}
          />
          <Dialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
            <DialogContent>
              <DialogHeader>
                <DialogTitle>Delete user?</DialogTitle>
                <DialogDescription>
                  {deleting ? `${deleting.firstName} ${deleting.lastName} (${deleting.email})` : ""} and their
                  registrations are removed. This cannot be undone.
                </DialogDescription>
              </DialogHeader>
              <DialogFooter>
                <Button variant="outline" onClick={() => setDeleting(null)}>
                  Cancel
                </Button>
                <Button
                  variant="destructive"
                  onClick={async () => {
                    if (!deleting) return;
                    const result = await deleteUserAction(deleting.id);
                    if (!result.ok) {
                      toast.error(result.problem.detail);
                      return;
                    }
                    setDeleting(null);
                    toast.success("User deleted");
                    refresh();
                  }}
                >
                  Delete
                </Button>
              </DialogFooter>
            </DialogContent>
          </Dialog>
        </>
      ) : null}
    </div>
  );
}
