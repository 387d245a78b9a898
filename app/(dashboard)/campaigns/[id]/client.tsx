"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Ban, Pause, Play } from "lucide-react";
import { useState } from "react";

import {
  cancelCampaignAction,
  getCampaignAction,
  pauseCampaignAction,
  resumeCampaignAction,
} from "@/app/(dashboard)/campaigns/actions";
import { CampaignProgress } from "@/components/campaigns/campaign-progress";
import { CampaignStatusBadge, formatDateTime } from "@/components/campaigns/campaign-status-badge";
import { RecipientsTable } from "@/components/campaigns/recipients-table";
import { formatCount } from "@/components/charts/chart-data";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/components/ui/toaster";
import { unwrap } from "@/lib/analytics/query-options";
import { type ActionResult } from "@/lib/auth/action-result";
import { type CampaignView } from "@/lib/campaigns/get-campaign";
import { campaignControls, campaignKeys, progressRefetchInterval } from "@/lib/campaigns/query-options";

type Verb = "pause" | "resume" | "cancel";
const VERBS: Record<Verb, { run: (id: string) => Promise<ActionResult<null>>; done: string }> = {
  pause: { run: pauseCampaignAction, done: "Campaign paused." },
  resume: { run: resumeCampaignAction, done: "Campaign resumed." },
  cancel: { run: cancelCampaignAction, done: "Campaign cancelled." },
};

/** Live campaign view: polls while sending; controls only for members who may write (the server re-checks). */
export function CampaignDetail({ initial, canWrite }: { initial: CampaignView; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: campaignKeys.detail(initial.id),
    queryFn: () => unwrap(getCampaignAction(initial.id)),
    initialData: initial,
    refetchInterval: (q) => progressRefetchInterval(q.state.data?.status),
  });
  const campaign = query.data;
  const [busy, setBusy] = useState<Verb | null>(null);
  const [error, setError] = useState<string | null>(null);
  const controls = campaignControls(campaign.status);
  const poll = progressRefetchInterval(campaign.status);

  const run = async (verb: Verb) => {
    if (
      verb === "cancel" &&
      !window.confirm("Cancel this campaign? Recipients not yet sent will not get it.")
    )
      return;
    setBusy(verb);
    setError(null);
    try {
      const result = await VERBS[verb].run(campaign.id);
      if (!result.ok) setError(result.problem.detail);
      else toast.success(VERBS[verb].done);
    } catch {
      setError("The server could not be reached. Try again.");
    } finally {
      setBusy(null);
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all });
    }
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <CampaignStatusBadge status={campaign.status} />
        {campaign.scheduledAt && campaign.status === "sending" ? (
          <span className="text-sm text-muted-foreground">
            Scheduled for {formatDateTime(campaign.scheduledAt)}
          </span>
        ) : null}
        {poll ? <Spinner label="Updating" className="size-4" /> : null}
        {canWrite ? (
          <div className="ml-auto flex flex-wrap gap-2">
            {controls.pause ? (
              <Button variant="outline" disabled={busy !== null} onClick={() => void run("pause")}>
                <Pause aria-hidden />
                Pause
              </Button>
            ) : null}
            {controls.resume ? (
              <Button disabled={busy !== null} onClick={() => void run("resume")}>
                <Play aria-hidden />
                Resume
              </Button>
            ) : null}
            {controls.cancel ? (
              <Button variant="destructive" disabled={busy !== null} onClick={() => void run("cancel")}>
                <Ban aria-hidden />
                Cancel campaign
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      {error ? (
        <Alert variant="destructive" title="That did not work">
          {error}
        </Alert>
      ) : null}
      {query.error ? (
        <Alert variant="destructive" title="Progress is not updating">
          {query.error.message}
        </Alert>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle as="h2">Delivery</CardTitle>
        </CardHeader>
        <CardContent>
          {campaign.status === "draft" ? (
            <p className="text-sm text-muted-foreground">
              Not sent yet. The audience matches {formatCount(campaign.audienceCount ?? 0)} users now.
            </p>
          ) : (
            <CampaignProgress recipientCount={campaign.recipientCount} progress={campaign.progress} />
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Message</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-3 text-sm">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-muted-foreground">Subject</dt>
            <dd className="break-words">{campaign.subject}</dd>
            <dt className="text-muted-foreground">UTM</dt>
            <dd className="break-words">
              source={campaign.utm.source}, medium={campaign.utm.medium}, campaign={campaign.utm.campaign}
            </dd>
            <dt className="text-muted-foreground">Created</dt>
            <dd>{formatDateTime(campaign.createdAt)}</dd>
          </dl>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap rounded-md border bg-muted/40 p-3 font-sans">
            {campaign.body}
          </pre>
        </CardContent>
      </Card>

      {campaign.status !== "draft" ? (
        <section aria-labelledby="recipients-heading" className="flex flex-col gap-3">
          <h2 id="recipients-heading" className="text-lg font-semibold">
            Recipients
          </h2>
          <RecipientsTable campaignId={campaign.id} refetchInterval={poll} />
        </section>
      ) : null}
    </div>
  );
}
