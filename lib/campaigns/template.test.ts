import { describe, expect, it } from "vitest";

import { resolveClick, resolveUnsubscribe } from "@/lib/campaigns/links";
import { CampaignContent } from "@/lib/campaigns/schemas";
import {
  compileTemplate,
  renderBatch,
  renderMessage,
  validateTemplate,
  type RenderContext,
} from "@/lib/campaigns/template";
import { fill } from "@/lib/email/message-template";
import { ValidationError } from "@/lib/errors";

const SECRET = "template-secret-template-secret-000000";
const APP = "https://rally.example";

function ctx(overrides: Partial<RenderContext["recipient"]> = {}): RenderContext {
  return {
    campaignId: "camp-1",
    utm: { source: "rally", medium: "email", campaign: "launch" },
    recipient: {
      id: "user-1",
      email: "ada@example.com",
      firstName: "Ada",
      company: "Analytical",
      ...overrides,
    },
    event: {
      title: "Rust & <Friends>",
      startAt: "2026-03-03T18:00:00Z",
      venue: "Hall A",
      url: "https://events.example/rust",
    },
    appUrl: APP,
    secret: SECRET,
  };
}

function tokensIn(s: string, prefix: "r" | "u"): string[] {
  return [...s.matchAll(new RegExp(`${APP}/${prefix}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`, "g"))].map(
    (m) => m[1]!,
  );
}

describe("validateTemplate", () => {
  it("rejects unknown variables at save time, in subject and body, with field names", () => {
    const issues = validateTemplate({
      subject: "Hi {{nickname}}",
      body: "Dear {{firstName}}, {{ticket.code}}",
    });
    expect(issues).toEqual([
      expect.objectContaining({ field: "subject", message: expect.stringContaining("{{nickname}}") }),
      expect.objectContaining({ field: "body", message: expect.stringContaining("{{ticket.code}}") }),
    ]);
    expect(() => compileTemplate({ subject: "Hi {{nickname}}", body: "x" })).toThrow(ValidationError);
  });

  it("rejects unbalanced braces, non-http link targets and multi-line subjects", () => {
    expect(validateTemplate({ subject: "ok", body: "Hello {{firstName" })).toHaveLength(1);
    expect(validateTemplate({ subject: "ok", body: "[click](javascript:alert(1))" })).toHaveLength(1);
    expect(validateTemplate({ subject: "a\nb", body: "x" })).toHaveLength(1);
  });

  it("accepts every documented variable and fallbacks", () => {
    const body =
      "{{firstName|there}} {{lastName}} {{email}} {{company}} {{jobTitle}} {{city}} {{state}}\n" +
      "{{event.title}} {{event.startAt}} {{event.venue}} {{event.url}} {{unsubscribeUrl}}";
    expect(validateTemplate({ subject: "{{ event.title }}", body })).toEqual([]);
  });

  it("is what the zod schema enforces", () => {
    const r = CampaignContent.safeParse({ subject: "Hi", body: "{{nope}}" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["body"]);
  });
});

describe("renderMessage", () => {
  it("escapes values in HTML, not in text", () => {
    const t = compileTemplate({
      subject: "{{company}} at {{event.title}}",
      body: "Hi {{firstName}} of {{company}}",
    });
    const m = renderMessage(t, ctx({ company: `<script>"x"&'y'</script>` }));
    expect(m.subject).toBe(`<script>"x"&'y'</script> at Rust & <Friends>`);
    expect(m.html).toContain("Hi Ada of &lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;");
    expect(m.html).not.toContain("<script>");
    expect(m.text).toContain(`Hi Ada of <script>"x"&'y'</script>`);
  });

  it("uses fallbacks for missing or blank values and keeps the subject on one line", () => {
    const t = compileTemplate({
      subject: "Hello {{firstName|there}} {{city}}",
      body: "Hi {{ firstName | friend }}",
    });
    const m = renderMessage(t, ctx({ firstName: "  ", city: "New\r\nYork" }));
    expect(m.subject).toBe("Hello there New York");
    expect(m.text.startsWith("Hi friend")).toBe(true);
  });

  it("turns paragraphs and line breaks into HTML", () => {
    const t = compileTemplate({ subject: "s", body: "one\ntwo\n\n\nthree" });
    const m = renderMessage(t, ctx());
    expect(m.html).toContain("<p>one<br>\ntwo</p>\n<p>three</p>");
    expect(m.text.startsWith("one\ntwo\n\nthree")).toBe(true);
  });

  it("rewrites every link to a signed /r/ token with per-link UTM, in both parts", () => {
    const t = compileTemplate({
      subject: "s",
      body: "See https://a.example/x?y=1. Then [the agenda](https://b.example/agenda#day-2) or {{event.url}}",
    });
    const m = renderMessage(t, ctx());
    expect(m.html).not.toMatch(/href="https:\/\/(a|b|events)\.example/);
    const htmlTokens = tokensIn(m.html, "r");
    const textTokens = tokensIn(m.text, "r");
    expect(htmlTokens).toHaveLength(3);
    expect(textTokens).toEqual(htmlTokens);
    const locations = htmlTokens.map((tok) => resolveClick(tok, SECRET)?.location);
    expect(locations).toEqual([
      "https://a.example/x?y=1&utm_source=rally&utm_medium=email&utm_campaign=launch&utm_content=link-1",
      "https://b.example/agenda?utm_source=rally&utm_medium=email&utm_campaign=launch&utm_content=link-2#day-2",
      "https://events.example/rust?utm_source=rally&utm_medium=email&utm_campaign=launch&utm_content=link-3",
    ]);
    expect(m.html).toContain(">the agenda</a>");
    expect(m.text).toContain("the agenda (https://rally.example/r/");
    // The sentence's full stop stays outside the link.
    expect(m.text).toMatch(/\/r\/[\w.-]+\. Then/);
  });

  it("appends a visible unsubscribe link and an open pixel", () => {
    const t = compileTemplate({ subject: "s", body: "Hello" });
    const m = renderMessage(t, ctx());
    const [htmlUnsub] = tokensIn(m.html, "u");
    expect(resolveUnsubscribe(htmlUnsub!, SECRET)).toEqual({
      kind: "unsubscribe",
      campaignId: "camp-1",
      recipientId: "user-1",
    });
    expect(m.html).toContain(">Unsubscribe</a>");
    expect(m.text).toContain(`Unsubscribe: ${m.unsubscribeUrl}`);
    expect(m.html).toMatch(/<img src="https:\/\/rally\.example\/o\/[\w-]+\.[\w-]+"/);
    expect(m.html).toContain("registered for Rust &amp; &lt;Friends&gt;");
  });

  it("fills one shared template per batch: the same template object, each message its own values", () => {
    const base = ctx();
    const messages = renderBatch({
      subject: "Hi {{firstName|there}}",
      body: "{{company}} at {{event.title}}: https://a.example/x",
      campaignId: base.campaignId,
      utm: base.utm,
      event: base.event!,
      appUrl: APP,
      secret: SECRET,
      recipients: [base.recipient, { id: "user-2", email: "b@example.com", company: "<B&Co>" }],
    });
    expect(messages[1]!.template).toBe(messages[0]!.template);
    expect(messages.map((m) => m.subject)).toEqual(["Hi Ada", "Hi there"]);
    for (const m of messages) {
      expect(fill(m.template.html, m.values)).toBe(m.html);
      expect(fill(m.template.text, m.values)).toBe(m.text);
    }
    expect(messages[1]!.html).toContain("&lt;B&amp;Co&gt; at Rust &amp; &lt;Friends&gt;");
    // Event values are the same for everyone, so they are literal text of the template, not values.
    expect(Object.values(messages[0]!.values).join(" ")).not.toContain("Rust");
  });

  it("drops a link label from the text part only for recipients whose label is empty", () => {
    const t = compileTemplate({
      subject: "s",
      body: "[{{firstName}}](https://x.example/) and [{{unsubscribeUrl}}](https://y.example/)",
    });
    const named = renderMessage(t, ctx());
    const unnamed = renderMessage(t, ctx({ firstName: undefined }));
    expect(named.text).toMatch(
      /^Ada \(https:\/\/rally\.example\/r\/[\w.-]+\) and https:\/\/rally\.example\/u\//,
    );
    expect(unnamed.text).toMatch(/^https:\/\/rally\.example\/r\/[\w.-]+ and /);
    expect(unnamed.html).toMatch(/<p><a href="https:\/\/rally\.example\/r\/[\w.-]+"><\/a> and /);
    expect(unnamed.text).toContain(`${unnamed.unsubscribeUrl} (https://rally.example/r/`);
  });

  it("formats the event start", () => {
    const t = compileTemplate({ subject: "{{event.startAt}}", body: "x" });
    expect(renderMessage(t, ctx()).subject).toBe("Tue, Mar 3, 2026, 6:00 PM UTC");
  });
});
