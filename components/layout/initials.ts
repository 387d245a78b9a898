/** Up to two initials from a display name ("Ada Lovelace" → "AL"); falls back to the email's first letter. */
export function initialsOf(user: { name: string; email: string }): string {
  const parts = user.name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts.slice(0, 1);
  const initials = letters.map((part) => part?.[0] ?? "").join("");
  return (initials || user.email[0] || "?").toUpperCase();
}
