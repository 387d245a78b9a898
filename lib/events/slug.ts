import { randomBytes } from "node:crypto";

/** "Café Night: Q&A!" → "cafe-night-q-a"; never empty, at most 80 characters. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
  return slug || "event";
}

/** The base slug with a short random suffix, used when the base is taken. */
export function suffixedSlug(base: string): string {
  return `${base}-${randomBytes(3).toString("hex")}`;
}
