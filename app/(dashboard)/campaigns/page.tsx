import { Mail } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Campaigns" };

export default function CampaignsPage() {
  return (
    <>
      <PageHeader title="Campaigns" description="Email campaigns to your audiences, with UTM-tagged links." />
      <EmptyState
        icon={Mail}
        title="No campaigns yet"
        description="Pick an audience and an event, write the email, and Rally sends it in safe batches."
      />
    </>
  );
}
