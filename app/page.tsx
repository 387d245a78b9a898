import { ArrowRight, CalendarDays, ChartColumn, Mail, Users } from "lucide-react";
import Link from "next/link";

import { Brand } from "@/components/layout/brand";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Button } from "@/components/ui/button";

const features = [
  { icon: Users, title: "Know your audience", text: "Filter attendees by city, interests and history." },
  { icon: CalendarDays, title: "Fill your events", text: "Track registrations and capacity as they happen." },
  { icon: Mail, title: "Send campaigns", text: "UTM-tagged emails, queued safely and sent in batches." },
  { icon: ChartColumn, title: "See what worked", text: "From sent to registered, per campaign and source." },
];

export default function HomePage() {
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="mx-auto flex w-full max-w-5xl items-center justify-between px-4 py-4 sm:px-6">
        <Brand />
        <ThemeToggle />
      </header>
      <main className="mx-auto flex w-full max-w-5xl flex-1 flex-col gap-12 px-4 py-12 sm:px-6 sm:py-20">
        <section className="flex flex-col gap-6">
          <h1 className="text-4xl font-bold tracking-tight sm:text-5xl">Rally</h1>
          <p className="max-w-xl text-lg text-muted-foreground">
            Know your audience, fill your events, and see which campaign did it.
          </p>
          <nav aria-label="Main" className="flex flex-wrap gap-3">
            <Button asChild size="lg">
              <Link href="/sign-in">
                Sign in
                <ArrowRight aria-hidden />
              </Link>
            </Button>
            <Button asChild size="lg" variant="outline">
              <Link href="/api/docs">API reference</Link>
            </Button>
          </nav>
        </section>
        <section aria-labelledby="features-heading" className="flex flex-col gap-4">
          <h2 id="features-heading" className="sr-only">
            What Rally does
          </h2>
          <ul className="grid gap-4 sm:grid-cols-2">
            {features.map(({ icon: Icon, title, text }) => (
              <li key={title} className="flex gap-4 rounded-xl border bg-card p-5 shadow-xs dark:shadow-none">
                <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-accent text-accent-foreground">
                  <Icon aria-hidden className="size-5" />
                </span>
                <div className="flex flex-col gap-1">
                  <h3 className="font-semibold">{title}</h3>
                  <p className="text-sm text-muted-foreground">{text}</p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      </main>
      <footer className="mx-auto w-full max-w-5xl px-4 py-6 text-sm text-muted-foreground sm:px-6">
        Rally — for event organizers.
      </footer>
    </div>
  );
}
