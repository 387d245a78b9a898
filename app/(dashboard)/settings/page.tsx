import { Settings } from "lucide-react";
import type { Metadata } from "next";

import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Your organization, sender address and team." />
      <EmptyState
        icon={Settings}
        title="Nothing to configure yet"
        description="Organization details, the verified sender address and team members will live here."
      />
    </>
  );
}
