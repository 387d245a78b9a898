import { type BreakdownRow, METRICS, RATES } from "@/lib/analytics/schemas";

/*
 * RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, CR or LF, quotes doubled.
 * Cells starting with = + - @ (or tab/CR) are prefixed with ' so spreadsheets do not run them as formulas.
 */

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | null)[])[],
): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/** A breakdown as CSV: the dimension column, then every metric, then every rate. */
export function breakdownCsv(by: string, rows: readonly BreakdownRow[]): string {
  return toCsv(
    [by, ...METRICS, ...RATES],
    rows.map((r) => [r.key, ...METRICS.map((m) => r.summary[m]), ...RATES.map((k) => r.rates[k])]),
  );
}
