import Link from "next/link";

export default function HomePage() {
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-6 px-6 py-20">
      <h1 className="text-4xl font-bold tracking-tight">Rally</h1>
      <p className="text-lg text-muted-foreground">
        Know your audience, fill your events, and see which campaign did it.
      </p>
      <nav aria-label="Main" className="flex gap-4">
        <Link className="rounded-md bg-primary px-4 py-2 font-medium text-primary-foreground" href="/api/docs">
          API reference
        </Link>
      </nav>
    </main>
  );
}
