"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus, X } from "lucide-react";
import { useState } from "react";

import {
  EVENT_KIND_LABELS,
  type EventConditionKind,
  type FilterState,
  KEYWORD_LABELS,
  type Range,
  rangeLabel,
} from "@/components/users/filter-state";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { type FacetBucket, KEYWORD_FIELDS, type KeywordField } from "@/lib/audience/schemas";

export interface EventOption {
  id: string;
  title: string;
}

type Editing =
  | { kind: "keyword"; field: KeywordField }
  | { kind: "range"; field: "hosted" | "attended" }
  | { kind: "event"; index: number | null };

const RANGE_LABELS = { hosted: "Hosted events", attended: "Attended events" } as const;

export interface FilterChipsProps {
  state: FilterState;
  onChange: (next: FilterState) => void;
  events: EventOption[];
  /** Top values of a field among users matching every other chip. */
  loadFacets: (field: KeywordField) => Promise<FacetBucket[]>;
}

/** Active filters as removable chips, plus "Add filter"; each chip opens its editor in a dialog. */
export function FilterChips({ state, onChange, events, loadFacets }: FilterChipsProps) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const eventTitle = (id: string) => events.find((e) => e.id === id)?.title ?? id;

  const chips: { key: string; label: string; edit: Editing; remove: () => void }[] = [];
  for (const field of KEYWORD_FIELDS) {
    const values = state.keywords[field];
    if (!values?.length) continue;
    chips.push({
      key: field,
      label: `${KEYWORD_LABELS[field]}: ${values.join(", ")}`,
      edit: { kind: "keyword", field },
      remove: () => {
        const keywords = { ...state.keywords };
        delete keywords[field];
        onChange({ ...state, keywords });
      },
    });
  }
  for (const field of ["hosted", "attended"] as const) {
    const range = state[field];
    if (!range) continue;
    chips.push({
      key: field,
      label: `${RANGE_LABELS[field]}: ${rangeLabel(range)}`,
      edit: { kind: "range", field },
      remove: () => onChange({ ...state, [field]: undefined }),
    });
  }
  state.events.forEach((e, index) => {
    const words = EVENT_KIND_LABELS[e.kind];
    chips.push({
      key: `event-${index}`,
      label: `${e.negate ? words.no : words.yes}: ${eventTitle(e.eventId)}`,
      edit: { kind: "event", index },
      remove: () => onChange({ ...state, events: state.events.filter((_, i) => i !== index) }),
    });
  });

  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Filters">
      {chips.map((chip) => (
        <span
          key={chip.key}
          className="inline-flex max-w-full items-center rounded-full border bg-muted text-xs font-medium"
        >
          <button
            type="button"
            className="max-w-64 truncate rounded-l-full py-1 pr-1 pl-3 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
            onClick={() => setEditing(chip.edit)}
            title={chip.label}
          >
            {chip.label}
          </button>
          <button
            type="button"
            className="rounded-r-full py-1 pr-2 pl-1 hover:text-destructive focus-visible:outline-2 focus-visible:outline-ring"
            aria-label={`Remove filter ${chip.label}`}
            onClick={chip.remove}
          >
            <X aria-hidden className="size-3.5" />
          </button>
        </span>
      ))}
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            <Plus aria-hidden />
            Add filter
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          {KEYWORD_FIELDS.map((field) => (
            <DropdownMenuItem key={field} onSelect={() => setEditing({ kind: "keyword", field })}>
              {KEYWORD_LABELS[field]}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          {(["hosted", "attended"] as const).map((field) => (
            <DropdownMenuItem key={field} onSelect={() => setEditing({ kind: "range", field })}>
              {RANGE_LABELS[field]}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setEditing({ kind: "event", index: null })}>
            Event (attended, registered, hosted)
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      {chips.length > 0 ? (
        <Button variant="ghost" size="sm" onClick={() => onChange({ keywords: {}, events: [] })}>
          Clear filters
        </Button>
      ) : null}

      <Dialog open={editing !== null} onOpenChange={(open) => !open && setEditing(null)}>
        <DialogContent>
          {editing?.kind === "keyword" ? (
            <KeywordEditor
              field={editing.field}
              selected={state.keywords[editing.field] ?? []}
              loadFacets={loadFacets}
              onApply={(values) => {
                onChange({
                  ...state,
                  keywords: { ...state.keywords, [editing.field]: values.length ? values : undefined },
                });
                setEditing(null);
              }}
            />
          ) : editing?.kind === "range" ? (
            <RangeEditor
              title={RANGE_LABELS[editing.field]}
              range={state[editing.field]}
              onApply={(range) => {
                onChange({ ...state, [editing.field]: range });
                setEditing(null);
              }}
            />
          ) : editing?.kind === "event" ? (
            <EventEditor
              events={events}
              initial={editing.index === null ? undefined : state.events[editing.index]}
              onApply={(condition) => {
                const list = [...state.events];
                if (editing.index === null) list.push(condition);
                else list[editing.index] = condition;
                onChange({ ...state, events: list });
                setEditing(null);
              }}
            />
          ) : null}
        </DialogContent>
      </Dialog>
    </div>
  );
}

function KeywordEditor({
  field,
  selected,
  loadFacets,
  onApply,
}: {
  field: KeywordField;
  selected: string[];
  loadFacets: (field: KeywordField) => Promise<FacetBucket[]>;
  onApply: (values: string[]) => void;
}) {
  const [values, setValues] = useState<string[]>(selected);
  const [custom, setCustom] = useState("");
  const facets = useQuery({ queryKey: ["user-facets", field, selected], queryFn: () => loadFacets(field) });
  const label = KEYWORD_LABELS[field];
  // Matching is case-insensitive, so one spelling per value is kept.
  const same = (a: string) => (b: string) => a.toLowerCase() === b.toLowerCase();
  const toggle = (value: string, on: boolean) =>
    setValues((list) => {
      const rest = list.filter((v) => !same(value)(v));
      return on ? [...rest, value] : rest;
    });
  const buckets = facets.data ?? [];
  const extra = values.filter((v) => !buckets.some((b) => b.value === v.toLowerCase()));
  const addCustom = () => {
    const value = custom.trim();
    if (value) toggle(value, true);
    setCustom("");
  };

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(values);
      }}
    >
      <DialogHeader>
        <DialogTitle>{label}</DialogTitle>
        <DialogDescription>
          Users matching any of the checked values. Counts respect your other filters.
        </DialogDescription>
      </DialogHeader>
      <fieldset className="flex max-h-72 flex-col gap-2 overflow-y-auto">
        <legend className="sr-only">{label} values</legend>
        {facets.isPending ? <Spinner label={`Loading ${label} values`} /> : null}
        {facets.isError ? (
          <FieldMessage tone="error">Could not load values; type one below.</FieldMessage>
        ) : null}
        {facets.isSuccess && buckets.length === 0 && extra.length === 0 ? (
          <FieldMessage>No values among the matching users.</FieldMessage>
        ) : null}
        {buckets.map((b) => (
          <label key={b.value} className="flex items-center gap-2 text-sm">
            <Checkbox
              checked={values.some((v) => v.toLowerCase() === b.value)}
              onChange={(e) => toggle(b.label ?? b.value, e.target.checked)}
            />
            <span className="flex-1">{b.label ?? b.value}</span>
            <span className="text-muted-foreground tabular-nums">{b.count}</span>
          </label>
        ))}
        {extra.map((v) => (
          <label key={v} className="flex items-center gap-2 text-sm">
            <Checkbox checked onChange={(e) => toggle(v, e.target.checked)} />
            <span className="flex-1">{v}</span>
          </label>
        ))}
      </fieldset>
      <div className="flex items-end gap-2">
        <div className="flex flex-1 flex-col gap-1.5">
          <Label htmlFor="keyword-custom">Other value</Label>
          <Input
            id="keyword-custom"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                addCustom();
              }
            }}
          />
        </div>
        <Button type="button" variant="outline" onClick={addCustom}>
          Add value
        </Button>
      </div>
      <DialogFooter>
        <Button type="submit">Apply</Button>
      </DialogFooter>
    </form>
  );
}

const toNumber = (raw: string): number | undefined => (raw.trim() === "" ? undefined : Number(raw));

function RangeEditor({
  title,
  range,
  onApply,
}: {
  title: string;
  range: Range | undefined;
  onApply: (range: Range | undefined) => void;
}) {
  const [min, setMin] = useState(range?.gte?.toString() ?? "");
  const [max, setMax] = useState(range?.lte?.toString() ?? "");
  const gte = toNumber(min);
  const lte = toNumber(max);
  const bad = (n: number | undefined) => n !== undefined && (!Number.isInteger(n) || n < 0);
  const error =
    bad(gte) || bad(lte)
      ? "Use whole numbers of 0 or more."
      : gte !== undefined && lte !== undefined && gte > lte
        ? "Minimum must not exceed maximum."
        : null;
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (error) return;
        onApply(
          gte === undefined && lte === undefined
            ? undefined
            : { ...(gte !== undefined && { gte }), ...(lte !== undefined && { lte }) },
        );
      }}
    >
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>Inclusive bounds; leave one empty for no limit.</DialogDescription>
      </DialogHeader>
      <div className="grid grid-cols-2 gap-4">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="range-min">Minimum</Label>
          <Input
            id="range-min"
            type="number"
            inputMode="numeric"
            min={0}
            value={min}
            onChange={(e) => setMin(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "range-error" : undefined}
          />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="range-max">Maximum</Label>
          <Input
            id="range-max"
            type="number"
            inputMode="numeric"
            min={0}
            value={max}
            onChange={(e) => setMax(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "range-error" : undefined}
          />
        </div>
      </div>
      {error ? (
        <FieldMessage id="range-error" tone="error">
          {error}
        </FieldMessage>
      ) : null}
      <DialogFooter>
        <Button type="submit" disabled={!!error}>
          Apply
        </Button>
      </DialogFooter>
    </form>
  );
}

function EventEditor({
  events,
  initial,
  onApply,
}: {
  events: EventOption[];
  initial: { kind: EventConditionKind; eventId: string; negate: boolean } | undefined;
  onApply: (condition: { kind: EventConditionKind; eventId: string; negate: boolean }) => void;
}) {
  const [kind, setKind] = useState<EventConditionKind>(initial?.kind ?? "attended");
  const [eventId, setEventId] = useState(initial?.eventId ?? events[0]?.id ?? "");
  const [negate, setNegate] = useState(initial?.negate ?? false);
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (eventId) onApply({ kind, eventId, negate });
      }}
    >
      <DialogHeader>
        <DialogTitle>Event condition</DialogTitle>
        <DialogDescription>
          Users who did (or did not) attend, register for or host an event.
        </DialogDescription>
      </DialogHeader>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="event-kind">Condition</Label>
        <Select id="event-kind" value={kind} onChange={(e) => setKind(e.target.value as EventConditionKind)}>
          <option value="attended">Attended</option>
          <option value="registered">Registered for</option>
          <option value="hosted">Hosted</option>
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="event-id">Event</Label>
        <Select id="event-id" value={eventId} onChange={(e) => setEventId(e.target.value)}>
          {events.length === 0 ? <option value="">No events</option> : null}
          {events.map((e) => (
            <option key={e.id} value={e.id}>
              {e.title}
            </option>
          ))}
        </Select>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <Checkbox checked={negate} onChange={(e) => setNegate(e.target.checked)} />
        Negate (users who did not)
      </label>
      <DialogFooter>
        <Button type="submit" disabled={!eventId}>
          Apply
        </Button>
      </DialogFooter>
    </form>
  );
}
