"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";

import {
  type ComposerSegment,
  countComposerAudience,
  listComposerSegments,
  previewComposerMessage,
  sampleComposerAudience,
} from "@/lib/campaigns/composer";
import { getAnalyticsBreakdown } from "@/lib/analytics/get-breakdown";
import { runAction } from "@/lib/auth/action";
import { type ActionResult } from "@/lib/auth/action-result";
import {
  type CampaignView,
  getCampaignView,
  listCampaignRecipients,
  listCampaigns,
  type RecipientRow,
} from "@/lib/campaigns/get-campaign";
import { createCampaign, updateCampaign } from "@/lib/campaigns/manage-campaign";
import {
  AudienceInput,
  CampaignIdParams,
  CreateCampaignInput,
  RecipientStatus,
  SendCampaignInput,
  TestSendInput,
  UpdateCampaignInput,
  UtmSettings,
} from "@/lib/campaigns/schemas";
import {
  cancelCampaign,
  pauseCampaign,
  resumeCampaign,
  sendCampaign,
  sendTestCampaign,
} from "@/lib/campaigns/send-campaign";
import { type RecipientVars } from "@/lib/campaigns/template";
import { type Page } from "@/lib/db/cursor";
import { type StoredCampaign } from "@/lib/db/campaigns-repo";

// Each action: session Ctx → zod parse → one lib verb (which checks the scope) → problem-shaped result.

const CAMPAIGNS_PAGE_SIZE = 25;
const RECIPIENTS_PAGE_SIZE = 50;
const Cursor = z.string().max(2048).optional();
const idOf = (id: unknown) => CampaignIdParams.parse({ id }).id;

/** What the list shows: no bodies or audiences cross to the browser. */
export type CampaignListItem = Pick<
  StoredCampaign,
  "id" | "name" | "status" | "recipientCount" | "createdAt"
>;

export async function listCampaignsAction(cursor?: string): Promise<ActionResult<Page<CampaignListItem>>> {
  return runAction(async (ctx) => {
    const page = await listCampaigns({
      ctx,
      input: { limit: CAMPAIGNS_PAGE_SIZE, cursor: Cursor.parse(cursor) },
    });
    return {
      nextCursor: page.nextCursor,
      items: page.items.map(({ id, name, status, recipientCount, createdAt }) => ({
        id,
        name,
        status,
        recipientCount,
        createdAt,
      })),
    };
  });
}

/** Sent/failed per campaign, from the analytics rollups (one read for the whole list). */
export async function campaignTotalsAction(): Promise<
  ActionResult<Record<string, { sent: number; failed: number }>>
> {
  return runAction(async (ctx) => {
    const { rows } = await getAnalyticsBreakdown({ ctx, input: { by: "campaign" } });
    return Object.fromEntries(rows.map((r) => [r.key, { sent: r.summary.sent, failed: r.summary.failed }]));
  });
}

export async function getCampaignAction(id: string): Promise<ActionResult<CampaignView>> {
  return runAction((ctx) => getCampaignView({ ctx, input: { id: idOf(id) } }));
}

export async function listRecipientsAction(
  id: string,
  cursor?: string,
  status?: string,
): Promise<ActionResult<{ items: RecipientRow[]; nextCursor: string | null }>> {
  return runAction((ctx) =>
    listCampaignRecipients({
      ctx,
      input: {
        id: idOf(id),
        limit: RECIPIENTS_PAGE_SIZE,
        ...(cursor ? { cursor: Cursor.parse(cursor) } : {}),
        ...(status ? { status: RecipientStatus.parse(status) } : {}),
      },
    }),
  );
}

export async function createCampaignAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  const result = await runAction(async (ctx) => ({
    id: (await createCampaign({ ctx, input: CreateCampaignInput.parse(input) })).id,
  }));
  if (result.ok) revalidatePath("/campaigns");
  return result;
}

export async function updateCampaignAction(
  id: string,
  changes: unknown,
): Promise<ActionResult<{ id: string }>> {
  return runAction(async (ctx) => ({
    id: (await updateCampaign({ ctx, input: { id: idOf(id), changes: UpdateCampaignInput.parse(changes) } }))
      .id,
  }));
}

export async function sendCampaignAction(
  id: string,
  body: unknown,
): Promise<ActionResult<{ campaignId: string; recipients: number }>> {
  const result = await runAction(async (ctx) => {
    const { scheduledAt } = SendCampaignInput.parse(body ?? {});
    const sent = await sendCampaign({
      ctx,
      input: { campaignId: idOf(id), ...(scheduledAt ? { scheduledAt } : {}) },
    });
    return { campaignId: sent.campaignId, recipients: sent.recipients };
  });
  if (result.ok) revalidatePath("/campaigns", "layout");
  return result;
}

export async function testSendAction(
  id: string,
  body: unknown,
): Promise<ActionResult<{ results: { email: string; status: string; reason?: string }[] }>> {
  return runAction((ctx) =>
    sendTestCampaign({ ctx, input: { campaignId: idOf(id), emails: TestSendInput.parse(body).emails } }),
  );
}

export async function pauseCampaignAction(id: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await pauseCampaign({ ctx, input: { campaignId: idOf(id) } });
    return null;
  });
  if (result.ok) revalidatePath(`/campaigns/${id}`);
  return result;
}

export async function resumeCampaignAction(id: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await resumeCampaign({ ctx, input: { campaignId: idOf(id) } });
    return null;
  });
  if (result.ok) revalidatePath(`/campaigns/${id}`);
  return result;
}

export async function cancelCampaignAction(id: string): Promise<ActionResult<null>> {
  const result = await runAction(async (ctx) => {
    await cancelCampaign({ ctx, input: { campaignId: idOf(id) } });
    return null;
  });
  if (result.ok) revalidatePath(`/campaigns/${id}`);
  return result;
}

export async function countAudienceAction(audience: unknown): Promise<ActionResult<number>> {
  return runAction((ctx) => countComposerAudience({ ctx, input: AudienceInput.parse(audience) }));
}

/** Saved segments for the composer's "Saved segment" audience, with live counts. */
export async function listSegmentsAction(): Promise<ActionResult<ComposerSegment[]>> {
  return runAction((ctx) => listComposerSegments({ ctx }));
}

export async function sampleAudienceAction(audience: unknown): Promise<ActionResult<RecipientVars[]>> {
  return runAction((ctx) => sampleComposerAudience({ ctx, input: AudienceInput.parse(audience) }));
}

const PreviewBody = z.object({
  subject: z.string().max(200),
  body: z.string().max(50_000),
  utm: UtmSettings,
  eventId: CampaignIdParams.shape.id.optional(),
  recipient: z.object({
    id: z.string().min(1).max(64),
    email: z.string().max(320),
    firstName: z.string().max(200).optional(),
    lastName: z.string().max(200).optional(),
    company: z.string().max(200).optional(),
    jobTitle: z.string().max(200).optional(),
    city: z.string().max(200).optional(),
    state: z.string().max(200).optional(),
  }),
});

export async function previewAction(
  input: unknown,
): Promise<ActionResult<{ subject: string; html: string; text: string }>> {
  return runAction((ctx) => previewComposerMessage({ ctx, input: PreviewBody.parse(input) }));
}
