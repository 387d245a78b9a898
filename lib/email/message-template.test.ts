import fc from "fast-check";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";

import { fill, part, slot, toHandlebars, type MessageTemplate } from "@/lib/email/message-template";

// SES renders templates with Handlebars; the emulator does too, with the settings below.
const hb = Handlebars.create();
const render = (source: string, data: Record<string, string>) =>
  hb.compile(source, { noEscape: true, strict: false })(data);

describe("part and fill", () => {
  it("merges adjacent text and nested parts, and fills slots in order", () => {
    const inner = part("b", slot("x"), "c");
    const p = part("a", inner, slot("y"), "", "d");
    expect(p).toEqual({ statics: ["ab", "c", "d"], slots: ["x", "y"] });
    expect(fill(p, { x: "1", y: "2" })).toBe("ab1c2d");
    expect(fill(p, { x: "1" })).toBe("ab1cd");
  });
});

describe("toHandlebars", () => {
  const template: MessageTemplate = {
    subject: part("Hi ", slot("s")),
    html: part("<p>{", slot("v"), "}\\</p>"),
    text: part(slot("v")),
  };

  it("names a template by its content", () => {
    const a = toHandlebars(template);
    expect(a.name).toMatch(/^rally-m-[0-9a-f]{24}$/);
    expect(toHandlebars(template).name).toBe(a.name);
    expect(toHandlebars({ ...template, text: part("x", slot("v")) }).name).not.toBe(a.name);
  });

  it("moves literal text with braces or backslashes into constants", () => {
    const h = toHandlebars(template);
    expect(h.html).toBe("{{{zh_0}}}{{{v}}}{{{zh_1}}}");
    expect(h.constants).toEqual({ zh_0: "<p>{", zh_1: "}\\</p>" });
    expect(h.subject).toBe("Hi {{{s}}}");
  });

  it("refuses slot names Handlebars would not read as identifiers, or that clash with constants", () => {
    expect(() => toHandlebars({ ...template, text: part(slot("a b")) })).toThrow(TypeError);
    expect(() => toHandlebars({ ...template, text: part(slot("zt_0")) })).toThrow(TypeError);
  });

  it("renders in Handlebars exactly as fill does, whatever the text and values", () => {
    const text = fc.string({
      unit: fc.constantFrom("a", "{", "}", "\\", " ", "&", "<", '"', "\n"),
      maxLength: 6,
    });
    const names = ["s", "v0", "w0", "l1"];
    const pieces = fc.array(fc.oneof(text, fc.constantFrom(...names).map(slot)), { maxLength: 8 });
    const values = fc.record(Object.fromEntries(names.map((n) => [n, text])) as Record<string, typeof text>);
    fc.assert(
      fc.property(pieces, pieces, values, (a, b, vals) => {
        const t: MessageTemplate = { subject: part(...a), html: part(...b), text: part(...a, ...b) };
        const h = toHandlebars(t);
        const data = { ...vals, ...h.constants };
        expect(render(h.subject, data)).toBe(fill(t.subject, vals));
        expect(render(h.html, data)).toBe(fill(t.html, vals));
        expect(render(h.text, data)).toBe(fill(t.text, vals));
      }),
      { numRuns: 500 },
    );
  });
});
