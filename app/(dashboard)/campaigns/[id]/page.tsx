import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { CampaignDetail } from "@/app/(dashboard)/campaigns/[id]/client";
import { PageHeader } from "@/components/layout/page-header";
import { can } from "@/lib/auth/roles";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { type CampaignView, getCampaignView } from "@/lib/campaigns/get-campaign";
import { NotFoundError } from "@/lib/errors";

export const metadata: Metadata = { title: "Campaign" };

async function loadCampaign(id: string): Promise<CampaignView> {
  try {
    return await getCampaignView({ ctx: await getSessionCtx(), input: { id } });
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
}

export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const member = await requireSessionMember();
  const { id } = await params;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) notFound();
  const campaign = await loadCampaign(id);
  return (
    <>
      <PageHeader title={campaign.name} description={`Campaign ${campaign.id}`} />
      <CampaignDetail initial={campaign} canWrite={can(member.role, "campaigns:write")} />
    </>
  );
}
