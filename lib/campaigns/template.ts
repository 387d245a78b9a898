import { clickUrl, openPixelUrl, unsubscribeUrl } from "@/lib/campaigns/links";
import { layoutHtml, layoutText, type MessageLayout } from "@/lib/email/layout";
import { ValidationError, type FieldIssue } from "@/lib/errors";
import { isHttpLink, isHttpUrl, type UtmParams } from "@/lib/tracking/tokens";

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
  /** The parts html and text are built from (lib/email/layout.ts); a bulk mailer can send just these. */
  layout: MessageLayout;
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

function lookup(name: string, ctx: RenderContext, unsubscribe: string): string | undefined {
  const r = ctx.recipient;
  const e = ctx.event;
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
    case "event.title":
      return e?.title;
    case "event.startAt":
      return e ? formatEventStart(e.startAt, e.timezone) : undefined;
    case "event.venue":
      return e?.venue;
    case "event.url":
      return e?.url;
    case "unsubscribeUrl":
      return unsubscribe;
  }
  return undefined;
}

function inlineValue(part: Inline, ctx: RenderContext, unsubscribe: string): string {
  if (part.type === "text") return part.value;
  const value = lookup(part.name, ctx, unsubscribe)?.trim();
  return value ? value : (part.fallback ?? "");
}

/** Renders one recipient's subject, HTML and text parts with tracked links, pixel and unsubscribe footer. */
export function renderMessage(template: CompiledTemplate, ctx: RenderContext): RenderedMessage {
  const ids = { campaignId: ctx.campaignId, recipientId: ctx.recipient.id };
  const unsub = unsubscribeUrl(ids, ctx.appUrl, ctx.secret);
  const inlineText = (parts: Inline[]) => {
    let out = "";
    for (const p of parts) out += inlineValue(p, ctx, unsub);
    return out;
  };
  // Values may carry CR/LF from imports; a subject is a header and must stay on one line.
  const rawSubject = inlineText(template.subject);
  const subject = /[\r\n]/.test(rawSubject) ? rawSubject.replace(/\s*[\r\n]+\s*/g, " ") : rawSubject;

  const htmlParagraphs: string[] = [];
  const textParagraphs: string[] = [];
  for (const paragraph of template.paragraphs) {
    let html = "";
    let text = "";
    for (const seg of paragraph) {
      if (seg.type === "text" || seg.type === "var") {
        const value = inlineValue(seg, ctx, unsub);
        html += escapeHtml(value);
        text += value;
      } else if (seg.type === "break") {
        html += "<br>\n";
        text += "\n";
      } else if (seg.type === "unsubscribe") {
        html += `<a href="${escapeHtml(unsub)}">${escapeHtml(unsub)}</a>`;
        text += unsub;
      } else {
        const target = typeof seg.url === "string" ? seg.url : ctx.event?.url;
        const label = seg.label ? inlineText(seg.label) : undefined;
        if (!target || !isHttpLink(target)) {
          // An event without a URL: keep the words, drop the link.
          html += escapeHtml(label ?? "");
          text += label ?? "";
          continue;
        }
        const tracked = clickUrl(
          { ...ids, linkIndex: seg.index, url: target, utm: { ...ctx.utm, content: `link-${seg.index}` } },
          ctx.appUrl,
          ctx.secret,
        );
        html += `<a href="${escapeHtml(tracked)}">${escapeHtml(label ?? target)}</a>`;
        text += label ? `${label} (${tracked})` : tracked;
      }
    }
    htmlParagraphs.push(`<p>${html}</p>`);
    textParagraphs.push(text);
  }

  const reason = ctx.event?.title
    ? `You are receiving this email because you registered for ${ctx.event.title}.`
    : "You are receiving this email because you registered for an event on Rally.";
  const pixel = openPixelUrl(ids, ctx.appUrl, ctx.secret);
  const layout: MessageLayout = {
    titleHtml: escapeHtml(subject),
    bodyHtml: htmlParagraphs.join("\n"),
    reasonHtml: escapeHtml(reason),
    unsubscribeHtml: escapeHtml(unsub),
    pixelHtml: escapeHtml(pixel),
    bodyText: textParagraphs.join("\n\n"),
    reasonText: reason,
    unsubscribeText: unsub,
  };
  // The whole documents are built on first use: a bulk send through the layout template never needs them.
  return withDocuments({ subject, layout, unsubscribeUrl: unsub });
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
  return input.recipients.map((recipient) =>
    renderMessage(template, {
      campaignId: input.campaignId,
      utm: input.utm,
      recipient,
      ...(input.event ? { event: input.event } : {}),
      appUrl: input.appUrl,
      secret: input.secret,
    }),
  );
}

/** A message whose html and text are built on first use. */
function withDocuments(parts: Omit<RenderedMessage, "html" | "text">): RenderedMessage {
  let html: string | undefined;
  let text: string | undefined;
  return {
    ...parts,
    get html() {
      return (html ??= layoutHtml(parts.layout));
    },
    get text() {
      return (text ??= layoutText(parts.layout));
    },
  };
}
