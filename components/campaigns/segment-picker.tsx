"use client";

import Link from "next/link";

import type { ComposerSegment } from "@/lib/campaigns/composer";
import { formatCount } from "@/components/charts/chart-data";
import { FieldMessage, Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";

/** `Name (1,234 users)`, the option text of one segment. */
export function segmentOptionLabel(segment: ComposerSegment): string {
  return `${segment.name} (${formatCount(segment.count)} ${segment.count === 1 ? "user" : "users"})`;
}

/**
 * The composer's saved-segment select: each segment with its live count, an empty state pointing to the
 * Users page (where segments are saved), and the field's error.
 */
export function SegmentPicker({
  segments,
  loading,
  loadError,
  value,
  onChange,
  error,
}: {
  segments: ComposerSegment[] | undefined;
  loading: boolean;
  loadError: string | null;
  value: string;
  onChange: (segmentId: string) => void;
  error: string | undefined;
}) {
  if (loading)
    return (
      <p className="inline-flex items-center gap-2 text-sm">
        <Spinner label="Loading segments" /> Loading segments…
      </p>
    );
  if (loadError) return <p className="text-sm text-destructive">Cannot list segments: {loadError}</p>;
  if (!segments || segments.length === 0)
    return (
      <p className="text-sm text-muted-foreground" data-testid="segments-empty">
        No saved segments yet.{" "}
        <Link className="underline" href="/users">
          Filter users and save a segment
        </Link>{" "}
        to email it.
        {error ? <span className="mt-1 block text-destructive">{error}</span> : null}
      </p>
    );
  // An id from the URL that is not listed (deleted, or beyond the list) still shows as chosen, not blank.
  const known = value === "" || segments.some((s) => s.id === value);
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor="segmentId">Segment</Label>
      <Select
        id="segmentId"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={error ? "segmentId-error" : undefined}
      >
        <option value="">Pick a segment…</option>
        {known ? null : <option value={value}>Segment {value}</option>}
        {segments.map((s) => (
          <option key={s.id} value={s.id}>
            {segmentOptionLabel(s)}
          </option>
        ))}
      </Select>
      {error ? (
        <FieldMessage id="segmentId-error" tone="error">
          {error}
        </FieldMessage>
      ) : null}
    </div>
  );
}
