"use client";

import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useEffect, useId, useState, type KeyboardEvent } from "react";

import { searchUsersAction } from "@/app/(dashboard)/events/actions";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { type UserMatch } from "@/lib/users/search-users";

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export interface UserPickerProps {
  id: string;
  /** Already picked users (shown as removable chips in multi mode, as the value in single mode). */
  value: UserMatch[];
  onChange: (users: UserMatch[]) => void;
  multiple?: boolean;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
}

/**
 * A combobox over users by name or email prefix (ARIA 1.2 pattern: input + listbox, arrows move, Enter
 * picks, Escape closes). Searching runs on the server through a session-checked action.
 */
export function UserPicker({
  id,
  value,
  onChange,
  multiple = false,
  invalid,
  describedBy,
  placeholder,
}: UserPickerProps) {
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const prefix = useDebounced(text.trim(), 200);
  const query = useQuery({
    queryKey: ["user-search", prefix],
    queryFn: async () => {
      const result = await searchUsersAction(prefix);
      if (!result.ok) throw new Error(result.problem.detail);
      return result.data;
    },
    enabled: open,
    staleTime: 30_000,
  });
  const options = (query.data ?? []).filter((u) => !value.some((v) => v.id === u.id));

  function pick(user: UserMatch) {
    onChange(multiple ? [...value, user] : [user]);
    setText("");
    setOpen(false);
    setActive(0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter" && open) {
      event.preventDefault();
      const option = options[active];
      if (option) pick(option);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  }

  const activeId = open && options[active] ? `${listId}-${options[active].id}` : undefined;
  const single = !multiple ? value[0] : undefined;

  return (
    <div className="flex flex-col gap-2">
      {multiple && value.length > 0 ? (
        <ul aria-label="Picked" className="flex flex-wrap gap-1.5">
          {value.map((u) => (
            <li
              key={u.id}
              className="flex items-center gap-1 rounded-full border bg-muted px-2.5 py-0.5 text-sm"
            >
              {u.name}
              <Button
                variant="ghost"
                size="icon-sm"
                className="size-6 rounded-full"
                aria-label={`Remove ${u.name}`}
                onClick={() => onChange(value.filter((v) => v.id !== u.id))}
              >
                <X aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="relative">
        <Input
          id={id}
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={describedBy}
          placeholder={single ? `${single.name} — type to change` : (placeholder ?? "Type a name or email")}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
        />
        {open ? (
          <ul
            id={listId}
            role="listbox"
            aria-label="Matching users"
            className="absolute z-20 mt-1 max-h-64 w-full overflow-y-auto rounded-md border bg-popover p-1 text-popover-foreground shadow-md"
          >
            {query.isPending ? (
              <li className="px-2 py-1.5 text-sm text-muted-foreground">Searching…</li>
            ) : query.isError ? (
              <li className="px-2 py-1.5 text-sm text-destructive">Search failed. Type again to retry.</li>
            ) : options.length === 0 ? (
              <li className="px-2 py-1.5 text-sm text-muted-foreground">No matching users</li>
            ) : (
              options.map((u, i) => (
                <li
                  key={u.id}
                  id={`${listId}-${u.id}`}
                  role="option"
                  aria-selected={i === active}
                  className={cn(
                    "flex cursor-pointer flex-col rounded-sm px-2 py-1.5 text-sm",
                    i === active && "bg-muted",
                  )}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(u)}
                >
                  <span className="font-medium">{u.name}</span>
                  <span className="text-xs text-muted-foreground">{u.email}</span>
                </li>
              ))
            )}
          </ul>
        ) : null}
      </div>
      {single ? (
        <p className="text-sm" data-testid={`${id}-value`}>
          Selected: <span className="font-medium">{single.name}</span>{" "}
          <span className="text-muted-foreground">({single.email})</span>
        </p>
      ) : null}
    </div>
  );
}
