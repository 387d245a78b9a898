import { CalendarDays, MapPin, Ticket, UsersRound } from "lucide-react";
import type { Metadata } from "next";
import { type ReactNode, cache } from "react";
import { notFound } from "next/navigation";

import { Brand } from "@/components/layout/brand";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { formatEventTime, getPublicEvent } from "@/lib/attribution/get-public-event";
import { CARRIED_PARAMS } from "@/lib/attribution/schemas";

import { registerAction } from "./actions";

type Search = Record<string, string | string[] | undefined>;
interface PageProps {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Search>;
}

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// generateMetadata and the page share one lookup per request.
const loadEvent = cache(getPublicEvent);

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const event = await loadEvent((await params).slug);
  return { title: event ? event.title : "Event not found" };
}

const STATUS: Record<
  string,
  { variant: "success" | "info" | "warning" | "destructive"; title: string; body: string }
> = {
  registered: { variant: "success", title: "You're registered!", body: "See you there. Your spot is saved." },
  already_registered: {
    variant: "info",
    title: "You're already registered",
    body: "This email already has a spot for this event.",
  },
  event_full: {
    variant: "warning",
    title: "This event is full",
    body: "Every spot was taken before your registration arrived. You have not been registered.",
  },
  invalid: {
    variant: "destructive",
    title: "Please check the form",
    body: "Some fields need your attention.",
  },
  not_found: { variant: "destructive", title: "Event not found", body: "This event no longer exists." },
};

const FIELD_ERRORS: Record<string, string> = {
  firstName: "Please enter your first name.",
  lastName: "Please enter your last name.",
  email: "Please enter a valid email address.",
};

/** Public event page: details and a registration form that works without JavaScript. */
export default async function PublicEventPage({ params, searchParams }: PageProps) {
  const [{ slug }, search] = await Promise.all([params, searchParams]);
  const event = await loadEvent(slug);
  if (!event) notFound();
  const status = one(search.status);
  const notice = status ? STATUS[status] : undefined;
  const badFields = new Set((one(search.fields) ?? "").split(",").filter(Boolean));
  const full = event.spotsLeft === 0;

  return (
    <div className="min-h-dvh bg-muted/40">
      <header className="mx-auto flex max-w-3xl items-center px-4 py-5 sm:px-6">
        <Brand />
      </header>
      <main className="mx-auto flex max-w-3xl flex-col gap-6 px-4 pb-16 sm:px-6">
        <section aria-labelledby="event-title" className="flex flex-col gap-4">
          <h1 id="event-title" className="text-3xl font-bold tracking-tight text-balance sm:text-4xl">
            {event.title}
          </h1>
          <dl className="grid gap-3 text-sm sm:grid-cols-2">
            <Detail icon={<CalendarDays aria-hidden className="size-4" />} label="When">
              <time dateTime={event.startAt}>
                {formatEventTime(event.startAt, event.endAt, event.timeZone)}
              </time>
              <span className="block text-muted-foreground">Time zone: {event.timeZone}</span>
            </Detail>
            <Detail icon={<MapPin aria-hidden className="size-4" />} label="Where">
              {event.venue ?? "Venue to be announced"}
            </Detail>
            <Detail icon={<UsersRound aria-hidden className="size-4" />} label="Hosted by">
              {event.hosts.length > 0 ? event.hosts.join(", ") : "Rally"}
            </Detail>
            <Detail icon={<Ticket aria-hidden className="size-4" />} label="Spots left">
              {event.spotsLeft === null
                ? "Open to everyone"
                : full
                  ? "None — this event is full"
                  : `${event.spotsLeft} of ${event.capacity}`}
            </Detail>
          </dl>
          {event.description ? (
            <p className="whitespace-pre-line leading-relaxed text-muted-foreground">{event.description}</p>
          ) : null}
        </section>

        <Card id="register">
          <CardHeader>
            <CardTitle>Register</CardTitle>
            <CardDescription>Save your spot with your name and email.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-5">
            {notice ? (
              <Alert variant={notice.variant} title={notice.title}>
                {notice.body}
              </Alert>
            ) : null}
            {full && status !== "registered" ? (
              status === "event_full" ? null : (
                <Alert variant="warning" title="This event is full">
                  Registration is closed because every spot is taken.
                </Alert>
              )
            ) : status === "registered" ? null : (
              <form action={registerAction} className="grid gap-4 sm:grid-cols-2">
                <input type="hidden" name="slug" value={event.slug} />
                {CARRIED_PARAMS.map((name) => {
                  const value = one(search[name]);
                  return value ? <input key={name} type="hidden" name={name} value={value} /> : null;
                })}
                <TextField name="firstName" label="First name" autoComplete="given-name" error={badFields} />
                <TextField name="lastName" label="Last name" autoComplete="family-name" error={badFields} />
                <TextField
                  name="email"
                  label="Email"
                  type="email"
                  autoComplete="email"
                  error={badFields}
                  className="sm:col-span-2"
                />
                <div className="sm:col-span-2">
                  <Button type="submit" size="lg" className="w-full sm:w-auto">
                    Register
                  </Button>
                </div>
              </form>
            )}
          </CardContent>
        </Card>
      </main>
    </div>
  );
}

function Detail({ icon, label, children }: { icon: ReactNode; label: string; children: ReactNode }) {
  return (
    <div className="flex gap-3 rounded-lg border bg-card p-3">
      <span className="mt-0.5 text-primary">{icon}</span>
      <div className="min-w-0">
        <dt className="font-medium">{label}</dt>
        <dd className="mt-0.5">{children}</dd>
      </div>
    </div>
  );
}

function TextField({
  name,
  label,
  type = "text",
  autoComplete,
  error,
  className,
}: {
  name: string;
  label: string;
  type?: string;
  autoComplete: string;
  error: Set<string>;
  className?: string;
}) {
  const invalid = error.has(name);
  const id = `field-${name}`;
  return (
    <div className={`flex flex-col gap-2 ${className ?? ""}`}>
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        maxLength={name === "email" ? 254 : 100}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
      />
      {invalid ? (
        <FieldMessage id={`${id}-error`} tone="error">
          {FIELD_ERRORS[name]}
        </FieldMessage>
      ) : null}
    </div>
  );
}
