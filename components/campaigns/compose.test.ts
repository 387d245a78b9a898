import { describe, expect, it } from "vitest";

import {
  audienceInput,
  choosePreviewRecipient,
  composerFieldOf,
  EMPTY_COMPOSER,
  filterFromToken,
  insertVariable,
  SAMPLE_RECIPIENT,
  templateIssues,
  toCreateInput,
  utmForEvent,
} from "@/components/campaigns/compose";
import { encodeFilterParam } from "@/components/data-table/url-state";
import { CreateCampaignInput } from "@/lib/campaigns/schemas";

const tree = { all: [{ field: "city", in: ["Berlin"] }] };

describe("composer audience", () => {
  it("reads the users grid's filter token and refuses corrupt or invalid ones", () => {
    expect(filterFromToken(encodeFilterParam(tree))).toEqual(tree);
    expect(filterFromToken("not-base64-json")).toBeNull();
    expect(filterFromToken(encodeFilterParam({ field: "shoeSize", in: ["9"] }))).toBeNull();
    expect(filterFromToken(null)).toBeNull();
  });

  it("maps each mode to the API's audience shape", () => {
    expect(audienceInput({ audienceMode: "filter", userIds: "" }, tree as never)).toEqual({ filter: tree });
    expect(audienceInput({ audienceMode: "filter", userIds: "" }, null)).toEqual({ filter: {} });
    expect(audienceInput({ audienceMode: "everyone", userIds: "" }, tree as never)).toEqual({ filter: {} });
    expect(audienceInput({ audienceMode: "users", userIds: "u1, u2\nu1" }, null)).toEqual({
      userIds: ["u1", "u2"],
    });
  });

  it("form values become a body the API's own schema accepts; template errors land on their field", () => {
    const values = {
      ...EMPTY_COMPOSER,
      name: "Launch",
      subject: "Hi {{firstName}}",
      body: "See you {{event.title}}",
    };
    const ok = CreateCampaignInput.safeParse(toCreateInput(values, null));
    expect(ok.success).toBe(true);

    const bad = CreateCampaignInput.safeParse(toCreateInput({ ...values, body: "Hi {{nickname}}" }, null));
    expect(bad.success).toBe(false);
    const paths = bad.success ? [] : bad.error.issues.map((i) => composerFieldOf(i.path.join(".")));
    expect(paths).toContain("body");
    expect(composerFieldOf("utm.medium")).toBe("utmMedium");
    expect(composerFieldOf("audience.userIds.0")).toBe("userIds");
  });
});

describe("composer helpers", () => {
  it("UTM from an event: utm_campaign is the slug", () => {
    expect(utmForEvent({ slug: "spring-meetup" })).toEqual({
      utmSource: "email",
      utmMedium: "email",
      utmCampaign: "spring-meetup",
    });
  });

  it("flags unknown variables per field, once each", () => {
    const issues = templateIssues("Hi {{nick}}", "{{nick}} and {{nick}} {{firstName}}");
    expect(issues.subject).toHaveLength(1);
    expect(issues.subject[0]).toMatch(/Unknown variable \{\{nick\}\}/);
    expect(issues.body).toHaveLength(1);
    expect(templateIssues("Hi {{firstName}}", "Hello")).toEqual({ subject: [], body: [] });
  });

  it("preview shows the chosen recipient, else the first of the sample, else a stand-in", () => {
    const a = { id: "a", email: "a@x.io" };
    const b = { id: "b", email: "b@x.io" };
    expect(choosePreviewRecipient([a, b], "b")).toBe(b);
    expect(choosePreviewRecipient([a, b], "gone")).toBe(a);
    expect(choosePreviewRecipient([], "b")).toBe(SAMPLE_RECIPIENT);
  });

  it("inserts a variable over the selection and puts the caret after it", () => {
    expect(insertVariable("Hello !", 6, 6, "firstName")).toEqual({ text: "Hello {{firstName}}!", caret: 19 });
    expect(insertVariable("Hello NAME", 6, 10, "email")).toEqual({ text: "Hello {{email}}", caret: 15 });
    expect(insertVariable("x", 99, 99, "city").text).toBe("x{{city}}");
  });
});
