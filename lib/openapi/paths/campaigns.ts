import { z } from "zod";

import {
  CampaignIdParams,
  CampaignStatus,
  RecipientStatus,
  SendCampaignInput,
  TestSendInput,
} from "@/lib/campaigns/schemas";
import { registerOperation, registry } from "@/lib/openapi/registry";
import { PageQuery, pageOf } from "@/lib/schemas/common";

// Documentation shapes: the runtime schemas also normalise (aliases, audience forms) with transforms.
const Audience = registry.register(
  "CampaignAudience",
  z
    .object({
      filter: z
        .record(z.string(), z.unknown())
        .optional()
        .describe(
          "A filter tree ({all:[…]}, {any:[…]}, {not:…}, {field,in:[…]}, {field,gte,lte}, {q}, {attended|registered|hosted}) or the audience list's flat fields (company, job_title, city, state, gender, q, events_hosted_min/max, events_attended_min/max, attended, registered, hosted; camelCase too)",
        ),
      userIds: z.array(z.string()).optional().describe("Explicit user ids; unknown ids are left out"),
      segmentId: z
        .string()
        .optional()
        .describe("A saved segment (/api/segments); its filter is read at send time"),
    })
    .describe("Exactly one of filter, userIds, segmentId"),
);
const Utm = z.object({
  source: z.string().optional(),
  medium: z.string().optional(),
  campaign: z.string().optional(),
});

const CreateCampaign = registry.register(
  "CreateCampaignInput",
  z.object({
    name: z.string().max(200),
    subject: z.string().max(200).describe("One line; {{firstName|fallback}} style variables"),
    body: z
      .string()
      .max(50_000)
      .describe("Plain text: blank line = paragraph, URLs and [label](https://…) become tracked links"),
    utm: Utm.optional().describe("Defaults: rally / email / slug of the name"),
    eventId: z.string().optional(),
    audience: Audience,
  }),
);
const UpdateCampaign = registry.register(
  "UpdateCampaignInput",
  z.object({
    name: z.string().optional(),
    subject: z.string().optional(),
    body: z.string().optional(),
    utm: Utm.optional(),
    eventId: z.string().nullable().optional(),
    audience: Audience.optional(),
  }),
);
const Progress = z.object({
  queued: z.number().int().describe("Pending or in flight"),
  sent: z.number().int(),
  failed: z.number().int(),
  suppressed: z.number().int().describe("Unsubscribed, bounced or complained before"),
  skipped: z.number().int().describe("Invalid address"),
  unknown: z.number().int().describe("In flight when a worker died: may or may not have been delivered"),
  failureReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
});
const Campaign = registry.register(
  "Campaign",
  z.object({
    id: z.string(),
    name: z.string(),
    status: CampaignStatus,
    subject: z.string(),
    body: z.string(),
    utm: z.object({ source: z.string(), medium: z.string(), campaign: z.string() }),
    eventId: z.string().optional(),
    audience: z.unknown().optional(),
    recipientCount: z.number().int().describe("Frozen recipients (0 for drafts)"),
    scheduledAt: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    audienceCount: z.number().int().optional().describe("Drafts: users the audience matches now"),
    progress: Progress.optional().describe("Sent campaigns: live delivery progress"),
  }),
);
const SendResult = z.object({
  campaignId: z.string(),
  outboxId: z.string(),
  status: CampaignStatus,
  recipients: z.number().int(),
});
const RecipientRow = registry.register(
  "CampaignRecipient",
  z.object({
    recipientId: z.string(),
    email: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    status: RecipientStatus,
    attempts: z.number().int(),
    reason: z.string().optional(),
    providerMessageId: z.string().optional(),
    sentAt: z.number().int().optional().describe("Epoch ms"),
    updatedAt: z.number().int().describe("Epoch ms"),
  }),
);

registerOperation({
  method: "post",
  path: "/api/emails/send",
  tag: "Campaigns",
  scope: "write",
  summary: "Send an email to an audience now (original API)",
  description:
    "Body: `subject`, `body`, `utm_source`/`utm_medium`/`utm_campaign` (or utmSource…), and the audience as `filter` (flat fields or a tree), `userIds`, `segmentId`, or flat filter fields at the top level. No audience = everyone. Creates a campaign, freezes exactly the matched users and sends through the outbox: 202. Nobody matched: 200 with `recipients: 0` and `campaignId: null`, nothing created. Unknown fields: 400.",
  body: registry.register(
    "SendEmailsInput",
    z
      .object({
        subject: z.string(),
        body: z.string(),
        utm_source: z.string().optional(),
        utm_medium: z.string().optional(),
        utm_campaign: z.string().optional(),
        filter: z.record(z.string(), z.unknown()).optional(),
        userIds: z.array(z.string()).optional(),
        segmentId: z.string().optional(),
      })
      .catchall(z.unknown()),
  ),
  success: {
    status: 202,
    description: "Queued (200 with recipients 0 when nobody matched)",
    schema: z.object({
      campaignId: z.string().nullable(),
      recipients: z.number().int(),
      message: z.string(),
    }),
  },
  errors: [404],
  idempotent: true,
});
registerOperation({
  method: "post",
  path: "/api/campaigns",
  tag: "Campaigns",
  scope: "write",
  summary: "Create a draft campaign",
  body: CreateCampaign,
  success: { status: 201, description: "Created", schema: Campaign },
  errors: [404],
  idempotent: true,
});
registerOperation({
  method: "get",
  path: "/api/campaigns",
  tag: "Campaigns",
  scope: "read",
  summary: "List campaigns (newest first)",
  query: PageQuery,
  success: { status: 200, description: "One page", schema: pageOf(Campaign) },
  errors: [400],
});
registerOperation({
  method: "get",
  path: "/api/campaigns/{id}",
  tag: "Campaigns",
  scope: "read",
  summary: "Get a campaign with live progress",
  params: CampaignIdParams,
  success: { status: 200, description: "The campaign", schema: Campaign },
  errors: [400, 404],
});
registerOperation({
  method: "patch",
  path: "/api/campaigns/{id}",
  tag: "Campaigns",
  scope: "write",
  summary: "Edit a draft",
  description: "Sent campaigns are immutable: 409.",
  params: CampaignIdParams,
  body: UpdateCampaign,
  success: { status: 200, description: "Updated", schema: Campaign },
  errors: [404, 409],
  idempotent: true,
});
registerOperation({
  method: "delete",
  path: "/api/campaigns/{id}",
  tag: "Campaigns",
  scope: "write",
  summary: "Delete a draft",
  params: CampaignIdParams,
  success: { status: 204, description: "Deleted" },
  errors: [404, 409],
  idempotent: true,
});
registerOperation({
  method: "post",
  path: "/api/campaigns/{id}/test",
  tag: "Campaigns",
  scope: "write",
  summary: "Send test copies to given addresses (not counted)",
  params: CampaignIdParams,
  body: TestSendInput,
  success: {
    status: 200,
    description: "Per-address results",
    schema: z.object({
      results: z.array(z.object({ email: z.string(), status: z.string(), reason: z.string().optional() })),
    }),
  },
  errors: [404],
});
registerOperation({
  method: "post",
  path: "/api/campaigns/{id}/send",
  tag: "Campaigns",
  scope: "write",
  summary: "Freeze the audience and send (optionally later)",
  description:
    "The body is optional; `{scheduledAt}` sends later. The audience is resolved and frozen now: the count answered is what is sent. 422 when it matches nobody.",
  params: CampaignIdParams,
  body: SendCampaignInput,
  success: { status: 202, description: "Sending", schema: SendResult },
  errors: [404, 409, 422],
  idempotent: true,
});
for (const [verb, summary, from] of [
  ["pause", "Pause a sending campaign", "sending"],
  ["resume", "Resume a paused campaign", "paused"],
  ["cancel", "Cancel a draft, sending or paused campaign", "draft, sending or paused"],
] as const) {
  registerOperation({
    method: "post",
    path: `/api/campaigns/{id}/${verb}`,
    tag: "Campaigns",
    scope: "write",
    summary,
    description: `Only from ${from}; otherwise 409.`,
    params: CampaignIdParams,
    success: { status: 200, description: "The campaign after the change", schema: Campaign },
    errors: [404, 409],
    idempotent: true,
  });
}
registerOperation({
  method: "get",
  path: "/api/campaigns/{id}/recipients",
  tag: "Campaigns",
  scope: "read",
  summary: "Per-recipient delivery status (paged)",
  params: CampaignIdParams,
  query: z.object({
    status: RecipientStatus.optional(),
    limit: z.number().int().min(1).max(200).optional(),
    cursor: z.string().optional(),
  }),
  success: { status: 200, description: "One page", schema: pageOf(RecipientRow) },
  errors: [400, 404],
});
registerOperation({
  method: "post",
  path: "/api/ses/events",
  tag: "Campaigns",
  scope: "public",
  summary: "SES notifications via SNS (delivery, bounce, complaint)",
  description:
    "SNS HTTP/S subscription target. Production verifies the SNS signature (certificate only from https sns.<region>.amazonaws.com); locally the shared secret SES_EVENTS_SECRET in `x-rally-ses-secret` or `?secret=`. Permanent bounces and complaints suppress the address.",
  body: z
    .object({ Type: z.string(), MessageId: z.string(), TopicArn: z.string(), Message: z.string() })
    .catchall(z.unknown()),
  success: {
    status: 200,
    description: "Applied",
    schema: z.object({ type: z.string(), suppressed: z.array(z.string()), recorded: z.number().int() }),
  },
  errors: [401],
});
