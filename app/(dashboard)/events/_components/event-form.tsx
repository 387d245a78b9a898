"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { type z } from "zod";
import { Controller, useForm, type FieldErrors, type Resolver } from "react-hook-form";

import { createEventAction, updateEventAction } from "@/app/(dashboard)/events/actions";
import { UserPicker } from "@/app/(dashboard)/events/_components/user-picker";
import { isoToZonedLocal, zonedLocalToIso } from "@/app/(dashboard)/events/_components/zoned-time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/components/ui/toaster";
import { type ActionResult } from "@/lib/auth/action-result";
import { CreateEventInput, type Event, UpdateEventInput } from "@/lib/events/schemas";
import { type UserMatch } from "@/lib/users/search-users";

interface EventFormValues {
  title: string;
  slug: string;
  description: string;
  startAt: string;
  endAt: string;
  timeZone: string;
  venue: string;
  maxCapacity: string;
  owner: UserMatch[];
  hosts: UserMatch[];
}
type FieldName = keyof EventFormValues;

/** Schema paths that differ from form field names. */
const FIELD_OF: Record<string, FieldName> = { ownerId: "owner", hostIds: "hosts" };
const fieldOf = (path: string): FieldName =>
  (FIELD_OF[path.split(".")[0] ?? ""] ?? path.split(".")[0]) as FieldName;

function toIso(local: string, timeZone: string): string {
  try {
    return zonedLocalToIso(local, timeZone || "UTC") ?? local;
  } catch {
    return zonedLocalToIso(local, "UTC") ?? local; // a bad zone is reported on its own field
  }
}

function toCreateInput(v: EventFormValues): CreateEventInput {
  return {
    title: v.title,
    slug: v.slug.trim() || undefined,
    description: v.description.trim() || undefined,
    startAt: toIso(v.startAt, v.timeZone),
    endAt: toIso(v.endAt, v.timeZone),
    timeZone: v.timeZone.trim() || undefined,
    venue: v.venue.trim() || undefined,
    maxCapacity: v.maxCapacity.trim() === "" ? null : Number(v.maxCapacity),
    ownerId: v.owner[0]?.id ?? "",
    hostIds: v.hosts.map((h) => h.id),
  };
}

function toUpdateInput(v: EventFormValues): UpdateEventInput {
  return {
    title: v.title,
    slug: v.slug.trim() || undefined,
    description: v.description.trim() || null,
    startAt: toIso(v.startAt, v.timeZone),
    endAt: toIso(v.endAt, v.timeZone),
    timeZone: v.timeZone.trim() || undefined,
    venue: v.venue.trim() || null,
    maxCapacity: v.maxCapacity.trim() === "" ? null : Number(v.maxCapacity),
    hostIds: v.hosts.map((h) => h.id),
  };
}

/** zodResolver over the API's own schema, run on the converted input; its errors are moved to form fields. */
function schemaResolver(mode: "create" | "edit"): Resolver<EventFormValues> {
  // withSnakeAliases' preprocess step types the input as unknown; the converted values are that input.
  const schema = (mode === "create" ? CreateEventInput : UpdateEventInput) as unknown as z.ZodType<
    Record<string, unknown>,
    Record<string, unknown>
  >;
  const resolve = zodResolver(schema);
  const convert = mode === "create" ? toCreateInput : toUpdateInput;
  return async (values, context, options) => {
    const result = await resolve(
      convert(values) as unknown as Record<string, unknown>,
      context,
      options as never,
    );
    const errors: FieldErrors<EventFormValues> = {};
    for (const [path, error] of Object.entries(result.errors ?? {})) {
      if (error)
        errors[fieldOf(path)] = { type: "validate", message: String(error.message ?? "Invalid value.") };
    }
    return Object.keys(errors).length > 0 ? { values: {}, errors } : { values, errors: {} };
  };
}

export interface EventFormProps {
  mode: "create" | "edit";
  event?: Event;
  owner?: UserMatch;
  hosts?: UserMatch[];
}

export function EventForm({ mode, event, owner, hosts = [] }: EventFormProps) {
  const router = useRouter();
  const zone = event?.timeZone ?? "UTC";
  const form = useForm<EventFormValues>({
    resolver: schemaResolver(mode),
    defaultValues: {
      title: event?.title ?? "",
      slug: event?.slug ?? "",
      description: event?.description ?? "",
      startAt: event ? isoToZonedLocal(event.startAt, zone) : "",
      endAt: event ? isoToZonedLocal(event.endAt, zone) : "",
      timeZone: zone,
      venue: event?.venue ?? "",
      maxCapacity: event?.maxCapacity != null ? String(event.maxCapacity) : "",
      owner: owner ? [owner] : [],
      hosts,
    },
  });
  const [formError, setFormError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  // New events default to the organizer's own zone; set after hydration so server and client HTML agree.
  useEffect(() => {
    if (mode === "create" && !form.getFieldState("timeZone").isDirty)
      form.setValue("timeZone", Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, [mode, form]);

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    let result: ActionResult<{ id: string }>;
    try {
      result =
        mode === "create"
          ? await createEventAction(toCreateInput(values))
          : await updateEventAction(event!.id, toUpdateInput(values));
    } catch {
      setFormError("Something went wrong. Please try again.");
      return;
    }
    if (!result.ok) {
      for (const issue of result.problem.errors)
        form.setError(fieldOf(issue.field), { type: "server", message: issue.message });
      setFormError(result.problem.detail);
      return;
    }
    toast.success(mode === "create" ? "Event created" : "Event saved");
    router.push(`/events/${result.data.id}`);
    router.refresh();
  });

  const field = (name: FieldName) => ({
    id: name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${name}-error` : undefined,
  });
  const message = (name: FieldName) =>
    errors[name] ? (
      <FieldMessage id={`${name}-error`} tone="error">
        {errors[name]?.message}
      </FieldMessage>
    ) : null;

  return (
    <form noValidate onSubmit={onSubmit} className="flex max-w-2xl flex-col gap-5" aria-busy={isSubmitting}>
      {formError ? <Alert variant="destructive">{formError}</Alert> : null}

      <div className="flex flex-col gap-2">
        <Label htmlFor="title">Title</Label>
        <Input {...field("title")} {...form.register("title")} />
        {message("title")}
      </div>

      <div className="flex flex-col gap-2">
        <Label htmlFor="slug">Public URL slug</Label>
        <Input {...field("slug")} placeholder="generated from the title" {...form.register("slug")} />
        {message("slug") ?? <FieldMessage>The public page is /e/&lt;slug&gt;.</FieldMessage>}
      </div>

      <div className="grid gap-5 sm:grid-cols-2">
        <div className="flex flex-col gap-2">
          <Label htmlFor="startAt">Starts</Label>
          <Input type="datetime-local" {...field("startAt")} {...form.register("startAt")} />
          {message("startAt")}
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="endAt">Ends</Label>
          <Input type="datetime-local" {...field("endAt")} {...form.register("endAt")} />
          {message("endAt")}
        </div>
      </div>

      <div className="grid gap-5 sm:grid-cols-2">
        <div className="flex flex-col gap-2">
          <Label htmlFor="timeZone">Time zone</Label>
          <Input {...field("timeZone")} placeholder="Europe/Berlin" {...form.register("timeZone")} />
          {message("timeZone") ?? <FieldMessage>Start and end are in this zone.</FieldMessage>}
        </div>
        <div className="flex flex-col gap-2">
          <Label htmlFor="maxCapacity">Capacity</Label>
          <Input
            type="number"
            inputMode="numeric"
            min={1}
            {...field("maxCapacity")}
            placeholder="unlimited"
            {...form.register("maxCapacity")}
          />
          {message("maxCapacity")}
        </div>
      </div>

      <div className="flex flex-col gap-2">
        <Label htmlFor="venue">Venue</Label>
        <Input {...field("venue")} {...form.register("venue")} />
        {message("venue")}
      </div>

      <div className="flex flex-col gap-2">
        <Label htmlFor="description">Description</Label>
        <Textarea rows={4} {...field("description")} {...form.register("description")} />
        {message("description")}
      </div>

      {mode === "create" ? (
        <div className="flex flex-col gap-2">
          <Label htmlFor="owner">Owner</Label>
          <Controller
            control={form.control}
            name="owner"
            render={({ field: f }) => (
              <UserPicker
                id="owner"
                value={f.value}
                onChange={f.onChange}
                invalid={!!errors.owner}
                describedBy={errors.owner ? "owner-error" : undefined}
              />
            )}
          />
          {message("owner")}
        </div>
      ) : owner ? (
        <p className="text-sm">
          Owner: <span className="font-medium">{owner.name}</span>
        </p>
      ) : null}

      <div className="flex flex-col gap-2">
        <Label htmlFor="hosts">Co-hosts</Label>
        <Controller
          control={form.control}
          name="hosts"
          render={({ field: f }) => (
            <UserPicker
              id="hosts"
              multiple
              value={f.value}
              onChange={f.onChange}
              invalid={!!errors.hosts}
              describedBy={errors.hosts ? "hosts-error" : undefined}
              placeholder="Add a co-host by name or email"
            />
          )}
        />
        {message("hosts")}
      </div>

      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? <Spinner label="Saving" /> : null}
          {mode === "create" ? "Create event" : "Save changes"}
        </Button>
        <Button variant="outline" type="button" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
