"use client";

import { Search, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/**
 * Search box for a table toolbar. Reports the query after the user pauses typing (and at once on
 * Enter or clear), so the server is not asked for every keystroke.
 */
export function TableSearch({
  value,
  onChange,
  label = "Search",
  placeholder = "Search…",
  delayMs = 300,
}: {
  value: string;
  onChange: (q: string) => void;
  label?: string;
  placeholder?: string;
  delayMs?: number;
}) {
  const [draft, setDraft] = useState(value);
  const [lastValue, setLastValue] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // Follow outside changes (back button, "clear filters") without clobbering typing in progress.
  if (value !== lastValue) {
    setLastValue(value);
    setDraft(value);
  }

  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);

  const commit = (q: string, delay: number) => {
    clearTimeout(timer.current ?? undefined);
    timer.current = setTimeout(() => onChange(q.trim()), delay);
  };

  return (
    <div className="relative w-full sm:max-w-72">
      <Search
        aria-hidden
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
      />
      <Input
        type="search"
        aria-label={label}
        placeholder={placeholder}
        value={draft}
        className="pr-9 pl-8 [&::-webkit-search-cancel-button]:hidden"
        onChange={(event) => {
          setDraft(event.target.value);
          commit(event.target.value, delayMs);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter") commit(draft, 0);
        }}
      />
      {draft ? (
        <Button
          variant="ghost"
          size="icon-sm"
          className="absolute top-0.5 right-0.5 size-8 text-muted-foreground"
          aria-label="Clear search"
          onClick={() => {
            setDraft("");
            commit("", 0);
          }}
        >
          <X aria-hidden />
        </Button>
      ) : null}
    </div>
  );
}
