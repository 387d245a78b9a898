import { formatCount, formatPercent } from "@/components/charts/chart-data";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { type BreakdownRow } from "@/lib/analytics/schemas";

/** The breakdown's numbers, one row per value (the same rows the CSV download holds). */
export function BreakdownTable({
  rows,
  dimensionLabel,
  includeBots,
}: {
  rows: readonly BreakdownRow[];
  dimensionLabel: string;
  includeBots: boolean;
}) {
  return (
    <div
      className="overflow-x-auto rounded-xl border"
      tabIndex={0}
      role="region"
      aria-label="Breakdown table"
    >
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead scope="col">{dimensionLabel}</TableHead>
            <TableHead scope="col" className="text-right">
              Sent
            </TableHead>
            <TableHead scope="col" className="text-right">
              Delivered
            </TableHead>
            <TableHead scope="col" className="text-right">
              Opened
            </TableHead>
            <TableHead scope="col" className="text-right">
              Clicked
            </TableHead>
            <TableHead scope="col" className="text-right">
              Registered
            </TableHead>
            <TableHead scope="col" className="text-right">
              Open rate
            </TableHead>
            <TableHead scope="col" className="text-right">
              Click rate
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.key}>
              <TableCell className="font-medium">{row.key || "(none)"}</TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(row.summary.sent)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(row.summary.delivered)}</TableCell>
              <TableCell className="text-right tabular-nums">
                {formatCount(includeBots ? row.summary.opened : row.summary.uniqueOpened)}
              </TableCell>
              <TableCell className="text-right tabular-nums">
                {formatCount(includeBots ? row.summary.clicked : row.summary.uniqueClicked)}
              </TableCell>
              <TableCell className="text-right tabular-nums">{formatCount(row.summary.registered)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatPercent(row.rates.openRate)}</TableCell>
              <TableCell className="text-right tabular-nums">{formatPercent(row.rates.clickRate)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
