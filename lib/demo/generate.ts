import { Faker, en, en_US } from "@faker-js/faker";

import { distinctHosts } from "@/lib/db/events-repo";
import { type Event, type Registration } from "@/lib/events/schemas";
import { type User } from "@/lib/users/schemas";

// Pure and deterministic: the same sizes and seed always give the same ids, values and counters, so a
// crashed seed can simply be re-run and overwrite identical items.

export const DEMO_SEED = 20261125;
/** Fixed "now" for demo data so re-runs are identical; half the events fall before it, half after. */
export const DEMO_ANCHOR = Date.parse("2026-11-25T00:00:00Z");
const DAY = 86_400_000;

/** Largest US metros, with their state: demo cities and states come as realistic pairs. */
const METROS: Array<[string, string]> = [
  ["New York", "New York"],
  ["Los Angeles", "California"],
  ["Chicago", "Illinois"],
  ["Houston", "Texas"],
  ["Phoenix", "Arizona"],
  ["Philadelphia", "Pennsylvania"],
  ["San Antonio", "Texas"],
  ["San Diego", "California"],
  ["Dallas", "Texas"],
  ["Austin", "Texas"],
  ["San Jose", "California"],
  ["Jacksonville", "Florida"],
  ["Columbus", "Ohio"],
  ["Charlotte", "North Carolina"],
  ["Indianapolis", "Indiana"],
  ["San Francisco", "California"],
  ["Seattle", "Washington"],
  ["Denver", "Colorado"],
  ["Washington", "District of Columbia"],
  ["Boston", "Massachusetts"],
  ["Nashville", "Tennessee"],
  ["Detroit", "Michigan"],
  ["Portland", "Oregon"],
  ["Las Vegas", "Nevada"],
  ["Atlanta", "Georgia"],
  ["Miami", "Florida"],
  ["Minneapolis", "Minnesota"],
  ["Raleigh", "North Carolina"],
  ["Pittsburgh", "Pennsylvania"],
  ["Salt Lake City", "Utah"],
  ["Madison", "Wisconsin"],
  ["Boulder", "Colorado"],
  ["Ann Arbor", "Michigan"],
  ["Providence", "Rhode Island"],
  ["Albuquerque", "New Mexico"],
  ["Omaha", "Nebraska"],
];
const TOPICS = [
  "AI",
  "Kubernetes",
  "Design Systems",
  "TypeScript",
  "Product",
  "Data Engineering",
  "Security",
  "Growth",
  "Rust",
  "Climate Tech",
  "Fintech",
  "DevRel",
  "Accessibility",
  "Startups",
  "Open Source",
];
const FORMATS = [
  "Meetup",
  "Workshop",
  "Summit",
  "Night",
  "Breakfast",
  "Hack Day",
  "Panel",
  "Roundtable",
  "Conference",
  "Office Hours",
];
const VENUES = [
  "The Foundry",
  "Hall B, Convention Center",
  "Rooftop Loft",
  "Innovation Hub",
  "Public Library Auditorium",
  "Online",
];
const CAPACITIES = [30, 50, 80, 100, 150, 200, 300, 500];
const UTM_SOURCES = ["newsletter", "linkedin", "twitter", "meetup", "partner"];
const UTM_MEDIUMS = ["email", "social", "referral", "cpc"];

export interface DemoData {
  users: User[];
  events: Event[];
  registrations: Registration[];
}

/** Zipf-like sampler over `n` ranks: rank 0 is the most common. */
function zipf(f: Faker, n: number, s = 1.1): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 1; k <= n; k++) cumulative.push((total += 1 / k ** s));
  return () => {
    const x = f.number.float({ min: 0, max: total });
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const slugPart = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** Generates users, events (with hosts) and registrations, with every counter computed exactly. */
export function generateDemoData(opts: { users: number; events: number; seed?: number }): DemoData {
  const f = new Faker({ locale: [en_US, en] });
  f.seed(opts.seed ?? DEMO_SEED);

  const companies = Array.from({ length: 300 }, () => f.company.name());
  const titles = Array.from({ length: 120 }, () => f.person.jobTitle());
  const pickCompany = zipf(f, companies.length);
  const pickTitle = zipf(f, titles.length, 0.9);
  const pickMetro = zipf(f, METROS.length, 1.0);

  const users: User[] = [];
  for (let i = 0; i < opts.users; i++) {
    const sex = f.helpers.weightedArrayElement([
      { weight: 48, value: "female" },
      { weight: 48, value: "male" },
      { weight: 3, value: "non-binary" },
      { weight: 1, value: "prefer-not-to-say" },
    ]);
    const firstName = f.person.firstName(sex === "female" || sex === "male" ? sex : undefined);
    const lastName = f.person.lastName();
    const [city, state] = METROS[pickMetro()] as [string, string];
    const createdAt = new Date(
      DEMO_ANCHOR - 730 * DAY + f.number.int({ min: 0, max: 540 * DAY }),
    ).toISOString();
    users.push({
      id: f.string.uuid(),
      firstName,
      lastName,
      email: `${slugPart(firstName)}.${slugPart(lastName)}.${i}@example.${["com", "org", "net"][i % 3]}`,
      phoneNumber: f.datatype.boolean(0.7) ? f.phone.number({ style: "national" }) : null,
      // No avatar URLs: demo pages must not fetch images from the internet.
      avatar: null,
      gender: sex,
      jobTitle: f.datatype.boolean(0.9) ? (titles[pickTitle()] as string) : null,
      company: f.datatype.boolean(0.85) ? (companies[pickCompany()] as string) : null,
      city,
      state,
      hostedEventCount: 0,
      attendedEventCount: 0,
      createdAt,
      updatedAt: createdAt,
      version: 1,
    });
  }

  const pickUser = zipf(f, Math.max(users.length, 1), 0.6);
  const events: Event[] = [];
  const registrations: Registration[] = [];
  const slugs = new Set<string>();
  for (let e = 0; e < opts.events && users.length > 0; e++) {
    const title = `${f.helpers.arrayElement(TOPICS)} ${f.helpers.arrayElement(FORMATS)} ${f.helpers.arrayElement(METROS)[0]}`;
    let slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "");
    if (slugs.has(slug)) slug = `${slug}-${e}`;
    slugs.add(slug);
    const startAt =
      DEMO_ANCHOR +
      f.number.int({ min: -180, max: 180 }) * DAY +
      f.number.int({ min: 9, max: 19 }) * 3_600_000;
    const createdAt = startAt - f.number.int({ min: 14, max: 90 }) * DAY;
    const owner = users[pickUser()] as User;
    const cohosts = f.helpers
      .arrayElements(users, f.number.int({ min: 0, max: 3 }))
      .map((u) => u.id)
      .filter((id) => id !== owner.id);
    const maxCapacity = f.datatype.boolean(0.7) ? f.helpers.arrayElement(CAPACITIES) : null;
    const event: Event = {
      id: f.string.uuid(),
      slug,
      title,
      description: f.lorem.paragraph(),
      startAt: new Date(startAt).toISOString(),
      endAt: new Date(startAt + f.number.int({ min: 1, max: 8 }) * 3_600_000).toISOString(),
      timeZone: "UTC",
      venue: f.helpers.arrayElement(VENUES),
      maxCapacity,
      ownerId: owner.id,
      hostIds: [...new Set(cohosts)].sort(),
      registeredCount: 0,
      createdAt: new Date(createdAt).toISOString(),
      updatedAt: new Date(createdAt).toISOString(),
      version: 1,
    };
    for (const id of distinctHosts(event.ownerId, event.hostIds)) {
      (users.find((u) => u.id === id) as User).hostedEventCount++;
    }
    const wanted = Math.min(maxCapacity ?? 400, f.number.int({ min: 10, max: 400 }), users.length);
    const attendees = new Set<number>();
    for (let tries = 0; attendees.size < wanted && tries < wanted * 5; tries++) attendees.add(pickUser());
    const registrationWindow = Math.max(1, Math.min(startAt, DEMO_ANCHOR) - createdAt);
    for (const index of attendees) {
      const user = users[index] as User;
      const reg: Registration = {
        eventId: event.id,
        userId: user.id,
        registeredAt: new Date(createdAt + f.number.int({ min: 0, max: registrationWindow })).toISOString(),
        source: f.helpers.weightedArrayElement([
          { weight: 70, value: "public" as const },
          { weight: 20, value: "api" as const },
          { weight: 10, value: "dashboard" as const },
        ]),
      };
      if (f.datatype.boolean(0.4)) {
        reg.utm = {
          source: f.helpers.arrayElement(UTM_SOURCES),
          medium: f.helpers.arrayElement(UTM_MEDIUMS),
          campaign: `${slugPart(event.title).slice(0, 20)}-launch`,
        };
      }
      registrations.push(reg);
      user.attendedEventCount++;
      event.registeredCount++;
    }
    events.push(event);
  }
  return { users, events, registrations };
}
