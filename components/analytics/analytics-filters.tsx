"use client";

import { useState, type FormEvent } from "react";

import {
  type AnalyticsUrlState,
  RANGE_PRESETS,
  type RangePreset,
} from "@/components/analytics/analytics-url";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";

export interface FilterOption {
  id: string;
  label: string;
}

interface Draft {
  range: string;
  from: string;
  to: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  campaignId: string;
  eventId: string;
}

function draftOf(state: AnalyticsUrlState): Draft {
  return {
    range: state.preset === null ? "custom" : String(state.preset),
    from: state.from ?? "",
    to: state.to ?? "",
    utmSource: state.utmSource,
    utmMedium: state.utmMedium,
    utmCampaign: state.utmCampaign,
    campaignId: state.campaignId,
    eventId: state.eventId,
  };
}

/**
 * Date range and dimension filters. Text filters apply on "Apply" (one history entry per change, not per
 * keystroke); the bot toggle applies at once.
 */
export function AnalyticsFilters({
  state,
  onChange,
  campaigns,
  events,
}: {
  state: AnalyticsUrlState;
  onChange: (next: AnalyticsUrlState) => void;
  campaigns: FilterOption[];
  events: FilterOption[];
}) {
  const stateKey = JSON.stringify(draftOf(state));
  const [draft, setDraft] = useState<{ key: string; value: Draft }>({ key: stateKey, value: draftOf(state) });
  // The URL changed under us (back button): show what it says.
  const value = draft.key === stateKey ? draft.value : draftOf(state);
  if (draft.key !== stateKey) setDraft({ key: stateKey, value });
  const set = (patch: Partial<Draft>) => setDraft({ key: stateKey, value: { ...value, ...patch } });
  const custom = value.range === "custom";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const preset = custom ? null : (Number(value.range) as RangePreset);
    onChange({
      ...state,
      preset,
      from: custom ? value.from || null : null,
      to: custom ? value.to || null : null,
      utmSource: value.utmSource.trim(),
      utmMedium: value.utmMedium.trim(),
      utmCampaign: value.utmCampaign.trim(),
      campaignId: value.campaignId,
      eventId: value.eventId,
    });
  };

  return (
    <form
      onSubmit={submit}
      aria-label="Analytics filters"
      className="grid grid-cols-1 gap-3 rounded-xl border bg-card p-4 sm:grid-cols-2 lg:grid-cols-4"
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="an-range">Date range</Label>
        <Select id="an-range" value={value.range} onChange={(e) => set({ range: e.target.value })}>
          {RANGE_PRESETS.map((days) => (
            <option key={days} value={String(days)}>
              Last {days} days
            </option>
          ))}
          <option value="custom">Custom…</option>
        </Select>
      </div>
      {custom ? (
        <>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="an-from">From</Label>
            <Input
              id="an-from"
              type="date"
              value={value.from}
              onChange={(e) => set({ from: e.target.value })}
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="an-to">To</Label>
            <Input id="an-to" type="date" value={value.to} onChange={(e) => set({ to: e.target.value })} />
          </div>
        </>
      ) : null}
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="an-campaign">Campaign</Label>
        <Select
          id="an-campaign"
          value={value.campaignId}
          onChange={(e) => set({ campaignId: e.target.value })}
        >
          <option value="">All campaigns</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="an-event">Event</Label>
        <Select id="an-event" value={value.eventId} onChange={(e) => set({ eventId: e.target.value })}>
          <option value="">All events</option>
          {events.map((ev) => (
            <option key={ev.id} value={ev.id}>
              {ev.label}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="an-source">utm_source</Label>
        <Input id="an-source" value={value.utmSource} onChange={(e) => set({ utmSource: e.target.value })} />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="an-medium">utm_medium</Label>
        <Input id="an-medium" value={value.utmMedium} onChange={(e) => set({ utmMedium: e.target.value })} />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="an-utm-campaign">utm_campaign</Label>
        <Input
          id="an-utm-campaign"
          value={value.utmCampaign}
          onChange={(e) => set({ utmCampaign: e.target.value })}
        />
      </div>
      <div className="flex flex-wrap items-end justify-between gap-3 sm:col-span-2 lg:col-span-4">
        <Label htmlFor="an-bots" className="font-normal">
          <Checkbox
            id="an-bots"
            checked={!state.includeBots}
            onChange={(e) => onChange({ ...state, includeBots: !e.target.checked })}
          />
          Exclude bots and privacy proxies from opens and clicks
        </Label>
        <Button type="submit">Apply filters</Button>
      </div>
    </form>
  );
}
