import { decodeFilterParam } from "@/components/data-table/url-state";
import { FilterTree } from "@/lib/audience/schemas";
import { type AudienceInput, type CreateCampaignInput } from "@/lib/campaigns/schemas";
import { type RecipientVars, validateTemplate } from "@/lib/campaigns/template";

/*
 * Pure pieces of the campaign composer: form values ↔ the API's CreateCampaignInput, the audience from the
 * users grid's `filter=<token>`, UTM defaults from an event, which recipient a preview shows, and inserting
 * a variable at the caret.
 */

export type AudienceMode = "filter" | "everyone" | "users";

export interface ComposerValues {
  name: string;
  subject: string;
  body: string;
  eventId: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  audienceMode: AudienceMode;
  /** Comma/space separated user ids (audienceMode "users"). */
  userIds: string;
  sendMode: "now" | "later";
  /** `datetime-local` value in the browser's zone (sendMode "later"). */
  scheduledAt: string;
}

export const EMPTY_COMPOSER: ComposerValues = {
  name: "",
  subject: "",
  body: "",
  eventId: "",
  utmSource: "email",
  utmMedium: "email",
  utmCampaign: "",
  audienceMode: "everyone",
  userIds: "",
  sendMode: "now",
  scheduledAt: "",
};

/** The users grid's filter token as an audience tree; null when absent, corrupt or invalid. */
export function filterFromToken(token: string | null | undefined): FilterTree | null {
  return decodeFilterParam(token, FilterTree);
}

export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The audience part of the API input for the chosen mode. */
export function audienceInput(
  values: Pick<ComposerValues, "audienceMode" | "userIds">,
  filter: FilterTree | null,
): AudienceInput {
  if (values.audienceMode === "users") return { userIds: splitList(values.userIds) };
  if (values.audienceMode === "filter" && filter) return { filter: filter as Record<string, unknown> };
  // An empty flat filter is "everyone" (the original service's send-to-all).
  return { filter: {} };
}

/** Form values → CreateCampaignInput (pre-parse), the same body POST /api/campaigns takes. */
export function toCreateInput(values: ComposerValues, filter: FilterTree | null): CreateCampaignInput {
  const utm = {
    ...(values.utmSource.trim() ? { source: values.utmSource.trim() } : {}),
    ...(values.utmMedium.trim() ? { medium: values.utmMedium.trim() } : {}),
    ...(values.utmCampaign.trim() ? { campaign: values.utmCampaign.trim() } : {}),
  };
  return {
    name: values.name,
    subject: values.subject,
    body: values.body,
    utm,
    ...(values.eventId ? { eventId: values.eventId } : {}),
    audience: audienceInput(values, filter),
  } as unknown as CreateCampaignInput;
}

/** Schema issue paths → composer field names. */
export function composerFieldOf(path: string): keyof ComposerValues {
  const [head, sub] = path.split(".");
  if (head === "utm") return sub === "source" ? "utmSource" : sub === "medium" ? "utmMedium" : "utmCampaign";
  if (head === "audience") return "userIds";
  if (head === "name" || head === "subject" || head === "body" || head === "eventId") return head;
  return "name";
}

/** UTM values for a promoted event: utm_campaign is the event's slug. */
export function utmForEvent(event: { slug: string }): {
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
} {
  return { utmSource: "email", utmMedium: "email", utmCampaign: event.slug };
}

/** Live template problems per field (unknown variables, unbalanced braces, bad links), for inline display. */
export function templateIssues(subject: string, body: string): { subject: string[]; body: string[] } {
  const out = { subject: [] as string[], body: [] as string[] };
  for (const issue of validateTemplate({ subject, body })) {
    const list = issue.field === "subject" ? out.subject : out.body;
    if (!list.includes(issue.message)) list.push(issue.message);
  }
  return out;
}

/** Stand-in used when the audience is empty, so the preview still shows fallbacks and layout. */
export const SAMPLE_RECIPIENT: RecipientVars = {
  id: "sample",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  company: "Analytical Engines",
  jobTitle: "Engineer",
  city: "London",
};

/** The recipient a preview renders for: the chosen one if still in the sample, else the first, else the stand-in. */
export function choosePreviewRecipient(
  sample: readonly RecipientVars[],
  chosenId: string | null,
): RecipientVars {
  return sample.find((r) => r.id === chosenId) ?? sample[0] ?? SAMPLE_RECIPIENT;
}

export function recipientLabel(r: RecipientVars): string {
  const name = [r.firstName, r.lastName].filter(Boolean).join(" ");
  return name ? `${name} <${r.email}>` : r.email;
}

/** Inserts `{{name}}` over the selection and returns the new text and caret position. */
export function insertVariable(
  text: string,
  selectionStart: number,
  selectionEnd: number,
  name: string,
): { text: string; caret: number } {
  const start = Math.max(0, Math.min(selectionStart, text.length));
  const end = Math.max(start, Math.min(selectionEnd, text.length));
  const token = `{{${name}}}`;
  return { text: text.slice(0, start) + token + text.slice(end), caret: start + token.length };
}

/** `datetime-local` (browser zone) → ISO instant; null when empty or invalid. */
export function localToIso(local: string): string | null {
  if (!local) return null;
  const ms = new Date(local).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
