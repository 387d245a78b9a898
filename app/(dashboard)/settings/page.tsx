import { ShieldAlert } from "lucide-react";
import type { Metadata } from "next";

import { ApiKeysCard } from "@/app/(dashboard)/settings/_components/api-keys-card";
import { MembersCard } from "@/app/(dashboard)/settings/_components/members-card";
import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { can } from "@/lib/auth/roles";
import { getSessionCtx, requireSessionMember } from "@/lib/auth/session";
import { adminListApiKeys } from "@/lib/members/api-keys";
import { listMembers } from "@/lib/members/manage-members";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const member = await requireSessionMember();
  if (!can(member.role, "members:manage"))
    return (
      <>
        <PageHeader title="Settings" description="API keys and team members." />
        <EmptyState
          icon={ShieldAlert}
          title="Admins only"
          description={`You are signed in as ${member.role}. Ask an admin to change API keys or members.`}
        />
      </>
    );
  const ctx = await getSessionCtx();
  const [keys, members] = await Promise.all([adminListApiKeys({ ctx }), listMembers({ ctx })]);
  return (
    <>
      <PageHeader title="Settings" description="API keys and team members." />
      <ApiKeysCard keys={keys} />
      <MembersCard members={members} currentEmail={member.email} />
    </>
  );
}
