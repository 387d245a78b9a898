/** Registrations per UTC day plus the running total, oldest first, with empty days filled in. */
export function attendanceByDay(
  registeredAt: readonly string[],
): { date: string; registrations: number; total: number }[] {
  if (registeredAt.length === 0) return [];
  const counts = new Map<string, number>();
  for (const at of registeredAt) {
    const day = at.slice(0, 10);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const days = [...counts.keys()].sort();
  const out: { date: string; registrations: number; total: number }[] = [];
  let total = 0;
  for (let t = Date.parse(days[0]!); t <= Date.parse(days[days.length - 1]!); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const registrations = counts.get(date) ?? 0;
    total += registrations;
    out.push({ date, registrations, total });
  }
  return out;
}
