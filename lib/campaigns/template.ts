import { TRACKING_PATH, trackingBase } from "@/lib/campaigns/links";
import { layoutHtml, layoutText } from "@/lib/email/layout";
import {
  fill,
  part,
  slot,
  type MessageTemplate,
  type Piece,
  type SlotValues,
} from "@/lib/email/message-template";
import { getEnv } from "@/lib/env";
import { ValidationError, type FieldIssue } from "@/lib/errors";
import {
  isHttpLink,
  isHttpUrl,
  messageTokenSigner,
  type MessageTokens,
  type UtmParams,
} from "@/lib/tracking/tokens";

/*
 * Campaign templates. Decision (docs/adr/0003-campaign-delivery.md): the body is PLAIN TEXT, never HTML.
 * Blank lines separate paragraphs, single newlines become <br>, bare http(s) URLs and `[label](https://…)`
 * become links. Organizers cannot inject markup, every value is escaped once in the HTML part, and the text
 * part is the same content without tags. Variables are `{{name}}` or `{{name|fallback}}`.
 */

export const TEMPLATE_VARIABLES = [
  "firstName",
  "lastName",
  "email",
  "company",
  "jobTitle",
  "city",
  "state",
  "event.title",
  "event.startAt",
  "event.venue",
  "event.url",
  "unsubscribeUrl",
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const KNOWN = new Set<string>(TEMPLATE_VARIABLES);

export interface CampaignTemplate {
  subject: string;
  body: string;
}

export interface RecipientVars {
  /** Stable recipient id inside the campaign (the user id); goes into tracking tokens. */
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  company?: string;
  jobTitle?: string;
  city?: string;
  state?: string;
}

export interface EventVars {
  title: string;
  /** ISO-8601 instant. */
  startAt: string;
  venue?: string;
  url?: string;
  /** IANA zone used to format {{event.startAt}}; UTC when absent. */
  timezone?: string;
}

export interface RenderContext {
  campaignId: string;
  utm: Omit<UtmParams, "content">;
  recipient: RecipientVars;
  event?: EventVars;
  appUrl?: string;
  secret?: string;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  /** The campaign's message template, the same object for every recipient of a batch; html and text fill it. */
  template: MessageTemplate;
  /** This recipient's slot values (a bulk mailer sends just these). */
  values: SlotValues;
  /** Same URL as the footer link; mailers put it in List-Unsubscribe. */
  unsubscribeUrl: string;
}

type Inline = { type: "text"; value: string } | { type: "var"; name: string; fallback?: string };

type Segment =
  | Inline
  | { type: "break" }
  | { type: "link"; index: number; label: Inline[] | null; url: string | { variable: "event.url" } }
  | { type: "unsubscribe" };

export interface CompiledTemplate {
  readonly subject: Inline[];
  readonly paragraphs: Segment[][];
  readonly linkCount: number;
}

// One scanner for the body: markdown-style link | variable | bare URL. Order matters (links contain URLs).
const BODY_TOKEN =
  /\[([^\]\n]+)\]\(\s*([^)\s]+)\s*\)|\{\{\s*([^{}|]*?)\s*(?:\|([^{}]*))?\}\}|(https?:\/\/[^\s<>"'{}[\]()]+)/g;
const VAR_TOKEN = /\{\{\s*([^{}|]*?)\s*(?:\|([^{}]*))?\}\}/g;
const TRAILING_PUNCTUATION = /[.,;:!?]+$/;

function parseInline(source: string, field: string, issues: FieldIssue[]): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of source.matchAll(VAR_TOKEN)) {
    if (m.index > last) out.push(...plainText(source.slice(last, m.index), field, issues));
    out.push(variable(m[1] ?? "", m[2], field, issues));
    last = m.index + m[0].length;
  }
  if (last < source.length) out.push(...plainText(source.slice(last), field, issues));
  return out;
}

function plainText(value: string, field: string, issues: FieldIssue[]): Inline[] {
  if (value.includes("{{") || value.includes("}}")) {
    issues.push({ field, message: "Unbalanced '{{' or '}}': write variables as {{name}}." });
  }
  return [{ type: "text", value }];
}

function variable(name: string, fallback: string | undefined, field: string, issues: FieldIssue[]): Inline {
  if (!KNOWN.has(name)) {
    issues.push({
      field,
      message: `Unknown variable {{${name}}}. Known: ${TEMPLATE_VARIABLES.join(", ")}.`,
    });
  }
  const trimmed = fallback?.trim();
  return trimmed ? { type: "var", name, fallback: trimmed } : { type: "var", name };
}

function parseParagraph(source: string, counter: { links: number }, issues: FieldIssue[]): Segment[] {
  const out: Segment[] = [];
  const pushText = (text: string) => {
    text.split("\n").forEach((line, i) => {
      if (i > 0) out.push({ type: "break" });
      if (line) out.push(...plainText(line, "body", issues));
    });
  };
  let last = 0;
  for (const m of source.matchAll(BODY_TOKEN)) {
    let whole = m[0];
    const [, label, target, varName, fallback, bareUrl] = m;
    if (bareUrl !== undefined) whole = whole.replace(TRAILING_PUNCTUATION, "");
    if (m.index > last) pushText(source.slice(last, m.index));
    last = m.index + whole.length;

    if (label !== undefined && target !== undefined) {
      const labelParts = parseInline(label, "body", issues);
      if (/^\{\{\s*event\.url\s*\}\}$/.test(target)) {
        out.push({ type: "link", index: ++counter.links, label: labelParts, url: { variable: "event.url" } });
      } else if (isHttpUrl(target)) {
        out.push({ type: "link", index: ++counter.links, label: labelParts, url: target });
      } else {
        issues.push({
          field: "body",
          message: `Link target must be an http(s) URL or {{event.url}}: ${target}`,
        });
      }
    } else if (varName !== undefined) {
      if (varName === "event.url" && !fallback) {
        out.push({ type: "link", index: ++counter.links, label: null, url: { variable: "event.url" } });
      } else if (varName === "unsubscribeUrl") {
        out.push({ type: "unsubscribe" });
      } else {
        out.push(variable(varName, fallback, "body", issues));
      }
    } else {
      out.push({ type: "link", index: ++counter.links, label: null, url: whole });
    }
  }
  if (last < source.length) pushText(source.slice(last));
  return out;
}

function parse(template: CampaignTemplate): { compiled: CompiledTemplate; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (/[\r\n]/.test(template.subject))
    issues.push({ field: "subject", message: "Subject must be one line." });
  const subject = parseInline(template.subject, "subject", issues);
  const counter = { links: 0 };
  const paragraphs = template.body
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => parseParagraph(p, counter, issues));
  return { compiled: { subject, paragraphs, linkCount: counter.links }, issues };
}

/** Save-time check: unknown variables, unbalanced braces, non-http links, multi-line subject. */
export function validateTemplate(template: CampaignTemplate): FieldIssue[] {
  return parse(template).issues;
}

/**
 * Parses a template once per campaign.
 * @throws ValidationError with field issues when the template would not pass validateTemplate.
 */
export function compileTemplate(template: CampaignTemplate): CompiledTemplate {
  const { compiled, issues } = parse(template);
  if (issues.length > 0) throw new ValidationError("The campaign template is invalid.", issues);
  return compiled;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

const HTML_SPECIAL = /[&<>"']/;

export function escapeHtml(value: string): string {
  // Most values (names, tracked URLs) hold nothing to escape: test before building a new string.
  return HTML_SPECIAL.test(value) ? value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c) : value;
}

export function formatEventStart(startAt: string, timezone = "UTC"): string {
  const date = new Date(startAt);
  if (Number.isNaN(date.getTime())) return startAt;
  try {
    return new Intl.DateTimeFormat("en-US", {
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZone: timezone,
      timeZoneName: "short",
    }).format(date);
  } catch {
    return date.toISOString();
  }
}

/** Recipient fields a template can use; everything else is the same for every recipient of a campaign. */
const RECIPIENT_FIELDS = new Set<TemplateVariable>([
  "firstName",
  "lastName",
  "email",
  "company",
  "jobTitle",
  "city",
  "state",
]);

function recipientValue(name: string, r: RecipientVars): string | undefined {
  switch (name as TemplateVariable) {
    case "firstName":
      return r.firstName;
    case "lastName":
      return r.lastName;
    case "email":
      return r.email;
    case "company":
      return r.company;
    case "jobTitle":
      return r.jobTitle;
    case "city":
      return r.city;
    case "state":
      return r.state;
  }
  return undefined;
}

function eventValue(name: string, e: EventVars | undefined): string | undefined {
  switch (name as TemplateVariable) {
    case "event.title":
      return e?.title;
    case "event.startAt":
      return e ? formatEventStart(e.startAt, e.timezone) : undefined;
    case "event.venue":
      return e?.venue;
    case "event.url":
      return e?.url;
  }
  return undefined;
}

const withFallback = (value: string | undefined, fallback: string | undefined) =>
  value?.trim() || (fallback ?? "");

// Values may carry CR/LF from imports; a subject is a header and must stay on one line.
const oneLine = (subject: string) =>
  /[\r\n]/.test(subject) ? subject.replace(/\s*[\r\n]+\s*/g, " ") : subject;

type PerRecipientVar = Extract<Inline, { type: "var" }>;
/** Literal text, or a variable only known per recipient (a recipient field or {{unsubscribeUrl}}). */
type ResolvablePiece = string | PerRecipientVar;

/** One recipient variable (with its fallback) the plan fills per message: raw in `text`, escaped in `html`. */
interface VariableSlot {
  name: string;
  fallback?: string;
  text: string;
  html: string;
}

/**
 * A campaign's content laid out once for all its recipients: the message template and what each message
 * fills in (recipient variables, tracking tokens). Event values, links and the footer are the same for every
 * recipient and so are literal text.
 */
interface MessagePlan {
  template: MessageTemplate;
  /** APP_URL without trailing slashes. */
  base: string;
  /**
   * The subject when it is the same for everyone; else its pieces, and it is a slot (with its escaped copy in
   * <title>).
   */
  subject: string | ResolvablePiece[];
  variables: VariableSlot[];
  /** The last campaign's token signer, by secret, campaign id and UTM values. */
  signer?: { key: string; sign: (recipientId: string) => MessageTokens };
  /** `textLabel`: set when the link's text part is a slot of its own (see planMessage). */
  links: { index: number; url: string; slot: string; textLabel?: ResolvablePiece[] }[];
}

const SLOT = {
  subject: "s",
  title: "sh",
  unsubscribe: "u",
  pixel: "o",
  variableText: (i: number) => `v${i}`,
  variableHtml: (i: number) => `w${i}`,
  link: (i: number) => `l${i}`,
  linkText: (i: number) => `x${i}`,
} as const;

function planMessage(template: CompiledTemplate, ctx: Pick<RenderContext, "event" | "appUrl">): MessagePlan {
  const base = trackingBase(ctx.appUrl);
  const variables: VariableSlot[] = [];
  const variableSlot = (part: PerRecipientVar): VariableSlot => {
    let found = variables.find((v) => v.name === part.name && v.fallback === part.fallback);
    if (!found) {
      const i = variables.length;
      found = {
        name: part.name,
        ...(part.fallback !== undefined ? { fallback: part.fallback } : {}),
        text: SLOT.variableText(i),
        html: SLOT.variableHtml(i),
      };
      variables.push(found);
    }
    return found;
  };
  const isRecipientVar = (p: Inline): p is PerRecipientVar =>
    p.type === "var" && RECIPIENT_FIELDS.has(p.name as TemplateVariable);
  const isUnsubscribeVar = (p: Inline) => p.type === "var" && p.name === "unsubscribeUrl";
  // The same value for every recipient: literal text, event fields, the fallback of a missing event field.
  const constant = (p: Inline) =>
    p.type === "text" ? p.value : withFallback(eventValue(p.name, ctx.event), p.fallback);
  const perRecipientOrConstant = (p: Inline): ResolvablePiece =>
    isRecipientVar(p) || isUnsubscribeVar(p) ? (p as PerRecipientVar) : constant(p);
  // Tokens hold only base64url characters and ".", so a tracked URL's HTML form is the escaped prefix + token.
  const unsubscribeText = part(`${base}${TRACKING_PATH.unsubscribe}`, slot(SLOT.unsubscribe));
  const unsubscribeHtml = part(escapeHtml(`${base}${TRACKING_PATH.unsubscribe}`), slot(SLOT.unsubscribe));
  const inlineText = (parts: Inline[]): Piece[] =>
    parts.map((p) =>
      isRecipientVar(p) ? slot(variableSlot(p).text) : isUnsubscribeVar(p) ? unsubscribeText : constant(p),
    );
  const inlineHtml = (parts: Inline[]): Piece[] =>
    parts.map((p) =>
      isRecipientVar(p)
        ? slot(variableSlot(p).html)
        : isUnsubscribeVar(p)
          ? unsubscribeHtml
          : escapeHtml(constant(p)),
    );
  const links: MessagePlan["links"] = [];
  const htmlParagraphs: Piece[] = [];
  const textParagraphs: Piece[] = [];
  template.paragraphs.forEach((paragraph, p) => {
    const html: Piece[] = [p > 0 ? "\n<p>" : "<p>"];
    const text: Piece[] = [p > 0 ? "\n\n" : ""];
    for (const seg of paragraph) {
      if (seg.type === "text" || seg.type === "var") {
        html.push(...inlineHtml([seg]));
        text.push(...inlineText([seg]));
      } else if (seg.type === "break") {
        html.push("<br>\n");
        text.push("\n");
      } else if (seg.type === "unsubscribe") {
        html.push('<a href="', unsubscribeHtml, '">', unsubscribeHtml, "</a>");
        text.push(unsubscribeText);
      } else {
        const target = typeof seg.url === "string" ? seg.url : ctx.event?.url;
        if (!target || !isHttpLink(target)) {
          // An event without a URL: keep the words, drop the link.
          if (seg.label) {
            html.push(...inlineHtml(seg.label));
            text.push(...inlineText(seg.label));
          }
          continue;
        }
        const linkSlot = SLOT.link(seg.index);
        const tracked = part(`${base}${TRACKING_PATH.click}`, slot(linkSlot));
        html.push(`<a href="${escapeHtml(`${base}${TRACKING_PATH.click}`)}`, slot(linkSlot), '">');
        html.push(...(seg.label ? inlineHtml(seg.label) : [escapeHtml(target)]), "</a>");
        // A label may come out empty for some recipients only (recipient values without fallbacks), which
        // drops it from the text part: such a link's text is one slot rather than a shape that varies.
        const label = seg.label?.map(perRecipientOrConstant);
        const labelMayBeEmpty =
          label !== undefined &&
          label.some((l) => typeof l !== "string") &&
          label.every((l) => (typeof l === "string" ? l === "" : isRecipientVar(l) && !l.fallback));
        if (labelMayBeEmpty) {
          const textSlot = SLOT.linkText(seg.index);
          links.push({ index: seg.index, url: target, slot: linkSlot, textLabel: label });
          text.push(slot(textSlot));
        } else {
          links.push({ index: seg.index, url: target, slot: linkSlot });
          const labelIsEmpty = label === undefined || label.every((l) => l === "");
          text.push(...(labelIsEmpty ? [tracked] : [...inlineText(seg.label!), " (", tracked, ")"]));
        }
      }
    }
    html.push("</p>");
    htmlParagraphs.push(part(...html));
    textParagraphs.push(part(...text));
  });

  const subjectIsConstant = !template.subject.some((p) => isRecipientVar(p) || isUnsubscribeVar(p));
  const constantSubject = oneLine(template.subject.map(constant).join(""));
  const reason = ctx.event?.title
    ? `You are receiving this email because you registered for ${ctx.event.title}.`
    : "You are receiving this email because you registered for an event on Rally.";
  const pixelHtml = part(escapeHtml(`${base}${TRACKING_PATH.open}`), slot(SLOT.pixel));
  return {
    base,
    template: {
      subject: part(subjectIsConstant ? constantSubject : slot(SLOT.subject)),
      html: layoutHtml({
        title: subjectIsConstant ? escapeHtml(constantSubject) : slot(SLOT.title),
        body: part(...htmlParagraphs),
        reason: escapeHtml(reason),
        unsubscribeUrl: unsubscribeHtml,
        pixelUrl: pixelHtml,
      }),
      text: layoutText({ body: part(...textParagraphs), reason, unsubscribeUrl: unsubscribeText }),
    },
    subject: subjectIsConstant ? constantSubject : template.subject.map(perRecipientOrConstant),
    variables,
    links,
  };
}

/** The plan's token signer for this campaign and secret (one per batch; rebuilt when they change). */
function signerFor(
  plan: MessagePlan,
  ctx: Pick<RenderContext, "campaignId" | "utm" | "secret">,
): NonNullable<MessagePlan["signer"]> {
  const secret = ctx.secret ?? getEnv().RALLY_SECRET;
  const key = JSON.stringify([secret, ctx.campaignId, ctx.utm]);
  if (plan.signer?.key !== key) {
    const links = plan.links.map((link) => ({
      linkIndex: link.index,
      url: link.url,
      utm: { ...ctx.utm, content: `link-${link.index}` },
    }));
    plan.signer = { key, sign: messageTokenSigner(secret, ctx.campaignId, links) };
  }
  return plan.signer;
}

/** One recipient's slot values under a plan. */
function fillPlan(
  plan: MessagePlan,
  ctx: RenderContext,
  sign: (recipientId: string) => MessageTokens = signerFor(plan, ctx).sign,
): RenderedMessage {
  const r = ctx.recipient;
  const values: Record<string, string> = {};
  for (const v of plan.variables) {
    const value = withFallback(recipientValue(v.name, r), v.fallback);
    values[v.text] = value;
    values[v.html] = escapeHtml(value);
  }
  const tokens = sign(r.id);
  values[SLOT.unsubscribe] = tokens.unsubscribe;
  values[SLOT.pixel] = tokens.open;
  plan.links.forEach((link, i) => {
    values[link.slot] = tokens.clicks[i]!;
  });
  const unsubscribeUrl = `${plan.base}${TRACKING_PATH.unsubscribe}${values[SLOT.unsubscribe]}`;
  const resolve = (pieces: ResolvablePiece[]) =>
    pieces
      .map((p) =>
        typeof p === "string"
          ? p
          : p.name === "unsubscribeUrl"
            ? unsubscribeUrl
            : withFallback(recipientValue(p.name, r), p.fallback),
      )
      .join("");
  for (const link of plan.links) {
    if (!link.textLabel) continue;
    const tracked = `${plan.base}${TRACKING_PATH.click}${values[link.slot]}`;
    const label = resolve(link.textLabel);
    values[SLOT.linkText(link.index)] = label ? `${label} (${tracked})` : tracked;
  }
  let subject: string;
  if (typeof plan.subject === "string") subject = plan.subject;
  else {
    subject = oneLine(resolve(plan.subject));
    values[SLOT.subject] = subject;
    values[SLOT.title] = escapeHtml(subject);
  }
  return withDocuments({ subject, unsubscribeUrl, template: plan.template, values });
}

// Plans per compiled template and campaign settings; building one is cheap but would otherwise run per message.
const plans = new WeakMap<CompiledTemplate, Map<string, MessagePlan>>();

function planFor(template: CompiledTemplate, ctx: Pick<RenderContext, "event" | "appUrl">): MessagePlan {
  let byContext = plans.get(template);
  if (!byContext) plans.set(template, (byContext = new Map()));
  const key = JSON.stringify([trackingBase(ctx.appUrl), ctx.event ?? null]);
  let plan = byContext.get(key);
  if (!plan) {
    if (byContext.size > 100) byContext.clear();
    byContext.set(key, (plan = planMessage(template, ctx)));
  }
  return plan;
}

/** Renders one recipient's subject, HTML and text parts with tracked links, pixel and unsubscribe footer. */
export function renderMessage(template: CompiledTemplate, ctx: RenderContext): RenderedMessage {
  return fillPlan(planFor(template, ctx), ctx);
}

/** One batch to render: the campaign's content and settings, and its recipients. */
export interface RenderBatchInput {
  subject: string;
  body: string;
  campaignId: string;
  utm: Omit<UtmParams, "content">;
  event?: EventVars;
  appUrl: string;
  secret: string;
  recipients: RecipientVars[];
}

// Compiled templates per campaign content; compiling is cheap but would otherwise run per batch.
const compiledCache = new Map<string, CompiledTemplate>();

/** Renders every recipient of a batch (compiling the content once per process and content). */
export function renderBatch(input: RenderBatchInput): RenderedMessage[] {
  const key = `${input.subject}\u0000${input.body}`;
  let template = compiledCache.get(key);
  if (!template) {
    template = compileTemplate({ subject: input.subject, body: input.body });
    if (compiledCache.size > 100) compiledCache.clear();
    compiledCache.set(key, template);
  }
  const plan = planFor(template, input);
  const ctx = { campaignId: input.campaignId, utm: input.utm, appUrl: input.appUrl, secret: input.secret };
  const { sign } = signerFor(plan, ctx);
  return input.recipients.map((recipient) => fillPlan(plan, { ...ctx, recipient }, sign));
}

/** A message whose html and text are filled in on first use: a bulk send through the template never needs them. */
function withDocuments(parts: Omit<RenderedMessage, "html" | "text">): RenderedMessage {
  let html: string | undefined;
  let text: string | undefined;
  return {
    ...parts,
    get html() {
      return (html ??= fill(parts.template.html, parts.values));
    },
    get text() {
      return (text ??= fill(parts.template.text, parts.values));
    },
  };
}
