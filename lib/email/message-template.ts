import { createHash } from "node:crypto";

/*
 * A message as static text with named slots, shared by every recipient of a campaign: the renderer
 * (lib/campaigns/template.ts) builds one per campaign content and fills the slots per recipient (tracking
 * tokens, variable values). Filling is plain concatenation, and the SES mailer installs the same parts as an
 * SES template whose slots are raw `{{{name}}}` placeholders, so a bulk entry carries only its slot values and
 * both send paths give byte-identical messages.
 */

/** `statics[0] slot[0] statics[1] … slot[n-1] statics[n]`: always one more static than slots. */
export interface TemplatePart {
  readonly statics: readonly string[];
  readonly slots: readonly string[];
}

export interface MessageTemplate {
  readonly subject: TemplatePart;
  readonly html: TemplatePart;
  readonly text: TemplatePart;
}

/** Slot values of one message. */
export type SlotValues = Readonly<Record<string, string>>;

/** A piece of a part being built: literal text, a slot, or an already built part. */
export type Piece = string | { slot: string } | TemplatePart;

export const slot = (name: string): { slot: string } => ({ slot: name });

/** Joins pieces into one part, merging adjacent literal text. */
export function part(...pieces: Piece[]): TemplatePart {
  const statics: string[] = [""];
  const slots: string[] = [];
  const pushText = (text: string) => {
    statics[statics.length - 1] += text;
  };
  for (const piece of pieces) {
    if (typeof piece === "string") pushText(piece);
    else if ("slot" in piece) {
      slots.push(piece.slot);
      statics.push("");
    } else {
      piece.statics.forEach((text, i) => {
        if (i > 0) {
          slots.push(piece.slots[i - 1]!);
          statics.push("");
        }
        pushText(text);
      });
    }
  }
  return { statics, slots };
}

/** The part with every slot replaced by its value (a missing value is empty, as in Handlebars). */
export function fill(template: TemplatePart, values: SlotValues): string {
  let out = template.statics[0]!;
  for (let i = 0; i < template.slots.length; i++)
    out += (values[template.slots[i]!] ?? "") + template.statics[i + 1]!;
  return out;
}

/** An SES (Handlebars) template equivalent to a MessageTemplate. */
export interface HandlebarsTemplate {
  /** Derived from the content: changed content is a new template, never a stale one under an old name. */
  name: string;
  subject: string;
  html: string;
  text: string;
  /**
   * Literal text that cannot sit in Handlebars source as it is (braces or backslashes could open or escape a
   * placeholder next to it); each is a slot of its own whose value every entry carries.
   */
  constants: SlotValues;
}

const SLOT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Names toHandlebars gives its constants; a message template's own slots may not look like them. */
const CONSTANT_NAME = /^z[sht]_\d+$/;
const HANDLEBARS_SPECIAL = /[{}\\]/;

/**
 * Translates a message template into Handlebars source with raw `{{{slot}}}` placeholders.
 * @throws TypeError for a slot name Handlebars would not read as a plain identifier.
 */
export function toHandlebars(template: MessageTemplate, namePrefix = "rally-m"): HandlebarsTemplate {
  const constants: Record<string, string> = {};
  const source = (p: TemplatePart, key: string) => {
    let out = "";
    p.statics.forEach((text, i) => {
      if (i > 0) {
        const name = p.slots[i - 1]!;
        if (!SLOT_NAME.test(name) || CONSTANT_NAME.test(name))
          throw new TypeError(`Unusable template slot name: ${name}`);
        out += `{{{${name}}}}`;
      }
      if (!HANDLEBARS_SPECIAL.test(text)) out += text;
      else {
        const name = `${key}_${i}`;
        constants[name] = text;
        out += `{{{${name}}}}`;
      }
    });
    return out;
  };
  const subject = source(template.subject, "zs");
  const html = source(template.html, "zh");
  const text = source(template.text, "zt");
  const digest = createHash("sha256")
    .update(JSON.stringify([subject, html, text, constants]))
    .digest("hex")
    .slice(0, 24);
  return { name: `${namePrefix}-${digest}`, subject, html, text, constants };
}
