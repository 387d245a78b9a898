import type { Metadata } from "next";

import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { Users } from "lucide-react";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <>
      <PageHeader title="Users" description="Everyone who has subscribed to or registered for your events." />
      <EmptyState
        icon={Users}
        title="No users yet"
        description="People appear here as soon as they subscribe or register. Filter them by city, interests and activity to build an audience."
      />
    </>
  );
}
