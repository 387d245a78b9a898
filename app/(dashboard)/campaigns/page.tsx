import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { listCampaignsAction } from "@/app/(dashboard)/campaigns/actions";
import { CampaignsTable } from "@/app/(dashboard)/campaigns/_components/campaigns-table";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { can } from "@/lib/auth/roles";
import { requireSessionMember } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const member = await requireSessionMember();
  const first = await listCampaignsAction();
  const canWrite = can(member.role, "campaigns:write");
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Email campaigns to your audiences, with UTM-tagged links."
        actions={
          canWrite ? (
            <Button asChild>
              <Link href="/campaigns/new">
                <Plus aria-hidden />
                New campaign
              </Link>
            </Button>
          ) : null
        }
      />
      {first.ok ? (
        <CampaignsTable firstPage={first.data} canWrite={canWrite} />
      ) : (
        <ErrorState
          headingLevel={2}
          title="Campaigns could not be loaded"
          description={first.problem.detail}
        />
      )}
    </>
  );
}
