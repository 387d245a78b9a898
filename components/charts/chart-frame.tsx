import { ChartColumn } from "lucide-react";
import type { ReactNode } from "react";

import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Skeleton } from "@/components/ui/skeleton";

export interface ChartStateProps {
  /** Visible heading of the chart card; also the chart's accessible name. */
  title: string;
  description?: string;
  /** Show a skeleton while the numbers load. */
  loading?: boolean;
  /** A message to show instead of the chart. */
  error?: string | null;
  /** Text for the empty state when there is nothing to draw. */
  emptyMessage?: string;
  /** Chart height in px (the width follows the card). */
  height?: number;
  headingLevel?: "h2" | "h3";
}

/**
 * Card around every chart: heading, description, loading/error/empty states, and a visually hidden
 * data table so screen-reader users get the numbers rather than a picture of them.
 */
export function ChartFrame({
  title,
  description,
  loading = false,
  error = null,
  emptyMessage = "No data for this period yet.",
  height = 280,
  headingLevel = "h2",
  isEmpty,
  srTable,
  children,
}: ChartStateProps & { isEmpty: boolean; srTable: ReactNode; children: ReactNode }) {
  let body: ReactNode;
  if (loading) {
    body = (
      <div aria-busy className="flex flex-col justify-end gap-2" style={{ height }}>
        <span className="sr-only">Loading {title}</span>
        <Skeleton className="h-full w-full" />
      </div>
    );
  } else if (error) {
    body = (
      <Alert variant="destructive" title="Chart unavailable">
        {error}
      </Alert>
    );
  } else if (isEmpty) {
    body = (
      <EmptyState
        icon={ChartColumn}
        title="Nothing to show"
        description={emptyMessage}
        headingLevel={3}
        className="border-0 py-8"
      />
    );
  } else {
    body = (
      <>
        <div aria-hidden style={{ height }} className="w-full text-xs">
          {children}
        </div>
        {srTable}
      </>
    );
  }

  return (
    <Card role="figure" aria-label={title}>
      <CardHeader>
        <CardTitle as={headingLevel}>{title}</CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
      </CardHeader>
      <CardContent>{body}</CardContent>
    </Card>
  );
}

/** The sr-only table behind a chart. */
export function ChartDataTable({
  caption,
  headers,
  rows,
}: {
  caption: string;
  headers: readonly string[];
  rows: ReadonlyArray<readonly (string | number)[]>;
}) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((header) => (
            <th key={header} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            {row.map((cell, cellIndex) =>
              cellIndex === 0 ? (
                <th key={cellIndex} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={cellIndex}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
