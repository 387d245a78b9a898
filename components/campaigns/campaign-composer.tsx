"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { Braces, Send } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useForm, useWatch, type FieldErrors, type Resolver } from "react-hook-form";
import { type z } from "zod";

import {
  countAudienceAction,
  createCampaignAction,
  listSegmentsAction,
  previewAction,
  sampleAudienceAction,
  sendCampaignAction,
  testSendAction,
  updateCampaignAction,
} from "@/app/(dashboard)/campaigns/actions";
import {
  audienceInput,
  type AudienceMode,
  choosePreviewRecipient,
  composerFieldOf,
  type ComposerValues,
  EMPTY_COMPOSER,
  insertVariable,
  localToIso,
  recipientLabel,
  splitList,
  templateIssues,
  toCreateInput,
  utmForEvent,
} from "@/components/campaigns/compose";
import { SegmentPicker } from "@/components/campaigns/segment-picker";
import { formatCount } from "@/components/charts/chart-data";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input, Textarea } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/components/ui/toaster";
import { unwrap } from "@/lib/analytics/query-options";
import { type FilterTree } from "@/lib/audience/schemas";
import { type ActionResult } from "@/lib/auth/action-result";
import { campaignKeys } from "@/lib/campaigns/query-options";
import {
  type AudienceInput,
  CreateCampaignInput,
  SendCampaignInput,
  TestSendInput,
} from "@/lib/campaigns/schemas";
import { TEMPLATE_VARIABLES } from "@/lib/campaigns/template";

export interface ComposerEvent {
  id: string;
  title: string;
  slug: string;
}

/** The composer's form: compose.ts's values plus a saved segment as a fourth audience. */
type FormValues = Omit<ComposerValues, "audienceMode"> & {
  audienceMode: AudienceMode | "segment";
  segmentId: string;
};

/** The audience part of the API input; a segment is sent by id so the send reads its filter then. */
function formAudience(
  values: Pick<FormValues, "audienceMode" | "userIds" | "segmentId">,
  filter: FilterTree | null,
) {
  if (values.audienceMode === "segment") return { segmentId: values.segmentId } satisfies AudienceInput;
  return audienceInput({ audienceMode: values.audienceMode, userIds: values.userIds }, filter);
}

/** Form values → CreateCampaignInput (pre-parse), with the segment audience when one is chosen. */
function formToCreateInput(values: FormValues, filter: FilterTree | null): CreateCampaignInput {
  const base = toCreateInput(
    { ...values, audienceMode: values.audienceMode === "segment" ? "everyone" : values.audienceMode },
    filter,
  );
  return { ...base, audience: formAudience(values, filter) } as unknown as CreateCampaignInput;
}

/** Schema issue paths → form fields; audience issues belong to whichever audience input is showing. */
function formFieldOf(path: string, mode: FormValues["audienceMode"]): keyof FormValues {
  if (mode === "segment" && path.split(".")[0] === "audience") return "segmentId";
  return composerFieldOf(path);
}

/** zodResolver over the API's own CreateCampaignInput, run on the converted values; errors go to form fields. */
function composerResolver(filter: FilterTree | null): Resolver<FormValues> {
  const resolve = zodResolver(
    CreateCampaignInput as unknown as z.ZodType<Record<string, unknown>, Record<string, unknown>>,
  );
  return async (values, context, options) => {
    const result = await resolve(
      formToCreateInput(values, filter) as unknown as Record<string, unknown>,
      context,
      options as never,
    );
    const errors: FieldErrors<FormValues> = {};
    for (const [path, error] of Object.entries(result.errors ?? {})) {
      const field = formFieldOf(path, values.audienceMode);
      if (error && !errors[field])
        errors[field] = { type: "validate", message: String(error.message ?? "Invalid value.") };
    }
    if (values.audienceMode === "segment" && !values.segmentId)
      errors.segmentId = { type: "validate", message: "Pick a segment." };
    return Object.keys(errors).length > 0 ? { values: {}, errors } : { values, errors: {} };
  };
}

/** Debounces a value (live count and preview should not fire per keystroke). */
function useDebounced<T>(value: T, ms = 400): T {
  const [debounced, setDebounced] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(JSON.parse(key) as T), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return debounced;
}

/**
 * Compose a campaign: audience (the users grid's filter, a saved segment, everyone, or user ids) with a live
 * count, content with variables checked as you type, a preview per recipient, a test send, then send now or
 * later.
 */
export function CampaignComposer({
  events,
  filter,
  segmentId = null,
}: {
  events: ComposerEvent[];
  filter: FilterTree | null;
  /** From `?segmentId=`: preselects that saved segment as the audience. */
  segmentId?: string | null;
}) {
  const router = useRouter();
  const form = useForm<FormValues>({
    resolver: composerResolver(filter),
    defaultValues: {
      ...EMPTY_COMPOSER,
      audienceMode: segmentId ? "segment" : filter ? "filter" : "everyone",
      segmentId: segmentId ?? "",
    },
  });
  const { errors, isSubmitting } = form.formState;
  const values = useWatch({ control: form.control }) as FormValues;
  const [draftId, setDraftId] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [testEmails, setTestEmails] = useState("");
  const [testResult, setTestResult] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const lastField = useRef<"subject" | "body">("body");
  const subjectRef = useRef<HTMLInputElement | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement | null>(null);

  const segmentMode = values.audienceMode === "segment";
  const segments = useQuery({
    queryKey: ["campaigns", "composer-segments"],
    queryFn: () => unwrap(listSegmentsAction()),
    enabled: segmentMode,
    retry: false,
  });
  const audience = useDebounced(formAudience(values, filter));
  const audienceKey = JSON.stringify(audience);
  // No segment picked yet: nothing to count, and the preview falls back to its stand-in recipient.
  const audienceReady = !("segmentId" in audience) || audience.segmentId !== "";
  const count = useQuery({
    queryKey: campaignKeys.audienceCount(audienceKey),
    queryFn: () => unwrap(countAudienceAction(audience)),
    enabled: audienceReady,
    retry: false,
  });
  const sample = useQuery({
    queryKey: campaignKeys.audienceSample(audienceKey),
    queryFn: () => unwrap(sampleAudienceAction(audience)),
    enabled: audienceReady,
    retry: false,
  });
  const recipient = choosePreviewRecipient(sample.data ?? [], previewId);

  const issues = templateIssues(values.subject ?? "", values.body ?? "");
  const previewInput = useDebounced({
    subject: values.subject ?? "",
    body: values.body ?? "",
    utm: {
      source: values.utmSource?.trim() || "email",
      medium: values.utmMedium?.trim() || "email",
      campaign: values.utmCampaign?.trim() || "preview",
    },
    ...(values.eventId ? { eventId: values.eventId } : {}),
    recipient,
  });
  const previewable =
    previewInput.subject.trim() !== "" &&
    previewInput.body.trim() !== "" &&
    templateIssues(previewInput.subject, previewInput.body).subject.length === 0 &&
    templateIssues(previewInput.subject, previewInput.body).body.length === 0;
  const preview = useQuery({
    queryKey: ["campaigns", "preview", previewInput],
    queryFn: () => unwrap(previewAction(previewInput)),
    enabled: previewable,
    retry: false,
  });

  const applyProblem = (result: Extract<ActionResult<unknown>, { ok: false }>) => {
    let placed = false;
    for (const issue of result.problem.errors) {
      const field = formFieldOf(issue.field.replace(/^body\./, ""), form.getValues("audienceMode"));
      form.setError(field, { type: "server", message: issue.message });
      placed = true;
    }
    setFormError(placed ? "Some fields need attention." : result.problem.detail);
  };

  /** Creates the draft the first time, then keeps it in step with the form. */
  const saveDraft = async (v: FormValues): Promise<string | null> => {
    const input = formToCreateInput(v, filter);
    const result = draftId
      ? await updateCampaignAction(draftId, { ...input, eventId: v.eventId || null })
      : await createCampaignAction(input);
    if (!result.ok) {
      applyProblem(result);
      return null;
    }
    setDraftId(result.data.id);
    return result.data.id;
  };

  const submit = (intent: "draft" | "send") =>
    form.handleSubmit(async (v) => {
      setFormError(null);
      let scheduledAt: string | undefined;
      if (intent === "send" && v.sendMode === "later") {
        const iso = localToIso(v.scheduledAt);
        const parsed = SendCampaignInput.safeParse({ scheduledAt: iso ?? "" });
        if (!iso || !parsed.success) {
          form.setError("scheduledAt", { type: "validate", message: "Pick a date and time." });
          return;
        }
        scheduledAt = iso;
      }
      try {
        const id = await saveDraft(v);
        if (!id) return;
        if (intent === "draft") {
          toast.success("Draft saved.");
          return;
        }
        const sent = await sendCampaignAction(id, scheduledAt ? { scheduledAt } : {});
        if (!sent.ok) {
          applyProblem(sent);
          return;
        }
        toast.success(
          scheduledAt
            ? `Scheduled for ${formatCount(sent.data.recipients)} recipients.`
            : `Sending to ${formatCount(sent.data.recipients)} recipients.`,
        );
        router.push(`/campaigns/${id}`);
      } catch {
        setFormError("The server could not be reached. Your changes are still here; try again.");
      }
    });

  const sendTest = form.handleSubmit(async (v) => {
    setTestResult(null);
    const parsed = TestSendInput.safeParse({ emails: splitList(testEmails) });
    if (!parsed.success) {
      setTestResult("Enter one to ten email addresses.");
      return;
    }
    setTesting(true);
    try {
      const id = await saveDraft(v);
      if (!id) return;
      const result = await testSendAction(id, parsed.data);
      if (!result.ok) setTestResult(result.problem.detail);
      else
        setTestResult(
          result.data.results
            .map((r) => `${r.email}: ${r.status}${r.reason ? ` (${r.reason})` : ""}`)
            .join("; "),
        );
    } catch {
      setTestResult("The server could not be reached.");
    } finally {
      setTesting(false);
    }
  });

  const insert = (name: string) => {
    const target = lastField.current;
    const el = target === "subject" ? subjectRef.current : bodyRef.current;
    const current = form.getValues(target);
    const { text, caret } = insertVariable(
      current,
      el?.selectionStart ?? current.length,
      el?.selectionEnd ?? current.length,
      name,
    );
    form.setValue(target, text, { shouldDirty: true });
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(caret, caret);
    });
  };

  const pickEvent = (eventId: string) => {
    form.setValue("eventId", eventId, { shouldDirty: true });
    const event = events.find((e) => e.id === eventId);
    if (!event) return;
    const utm = utmForEvent(event);
    form.setValue("utmSource", utm.utmSource);
    form.setValue("utmMedium", utm.utmMedium);
    form.setValue("utmCampaign", utm.utmCampaign);
    if (!form.getValues("name")) form.setValue("name", event.title);
  };

  const subjectReg = form.register("subject");
  const bodyReg = form.register("body");
  const fieldError = (name: keyof FormValues) => errors[name]?.message;
  const describe = (name: string, hasError: boolean) => (hasError ? `${name}-error` : undefined);

  return (
    <form noValidate onSubmit={submit("send")} className="flex flex-col gap-6" aria-label="Campaign composer">
      {formError ? (
        <Alert variant="destructive" title="Not sent">
          {formError}
        </Alert>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle as="h2">Audience</CardTitle>
          <CardDescription>Who gets it. The list is frozen when you send.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <fieldset className="flex flex-col gap-2">
            <legend className="sr-only">Audience</legend>
            <Label className="font-normal">
              <input type="radio" value="filter" disabled={!filter} {...form.register("audienceMode")} />
              Users matching the filter from the Users page
              {filter ? "" : " (open Campaigns → New from a filtered Users view)"}
            </Label>
            <Label className="font-normal">
              <input type="radio" value="segment" {...form.register("audienceMode")} />
              Saved segment
            </Label>
            <Label className="font-normal">
              <input type="radio" value="everyone" {...form.register("audienceMode")} />
              Everyone
            </Label>
            <Label className="font-normal">
              <input type="radio" value="users" {...form.register("audienceMode")} />
              Specific users (ids)
            </Label>
          </fieldset>
          {segmentMode ? (
            <SegmentPicker
              segments={segments.data}
              loading={segments.isPending}
              loadError={segments.error ? segments.error.message : null}
              value={values.segmentId ?? ""}
              onChange={(id) => {
                form.setValue("segmentId", id, { shouldDirty: true });
                form.clearErrors("segmentId");
              }}
              error={fieldError("segmentId")}
            />
          ) : null}
          {values.audienceMode === "users" ? (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="userIds">User ids</Label>
              <Textarea
                id="userIds"
                rows={2}
                aria-invalid={!!errors.userIds}
                aria-describedby={describe("userIds", !!errors.userIds)}
                {...form.register("userIds")}
              />
              {errors.userIds ? (
                <FieldMessage id="userIds-error" tone="error">
                  {fieldError("userIds")}
                </FieldMessage>
              ) : null}
            </div>
          ) : null}
          <p aria-live="polite" className="text-sm" data-testid="recipient-count">
            {!audienceReady ? (
              <span className="text-muted-foreground">Pick a segment to count its recipients.</span>
            ) : count.isPending ? (
              <span className="inline-flex items-center gap-2">
                <Spinner label="Counting recipients" /> Counting…
              </span>
            ) : count.error ? (
              <span className="text-destructive">Cannot count this audience: {count.error.message}</span>
            ) : (
              <>
                <strong className="tabular-nums">{formatCount(count.data ?? 0)}</strong> recipients
              </>
            )}
          </p>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Event and tracking</CardTitle>
          <CardDescription>
            Picking an event fills the UTM fields (utm_campaign = the event&apos;s slug).
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          <div className="flex flex-col gap-1.5 sm:col-span-2">
            <Label htmlFor="eventId">Event</Label>
            <Select id="eventId" value={values.eventId ?? ""} onChange={(e) => pickEvent(e.target.value)}>
              <option value="">No event</option>
              {events.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.title}
                </option>
              ))}
            </Select>
          </div>
          {(
            [
              ["utmSource", "utm_source"],
              ["utmMedium", "utm_medium"],
              ["utmCampaign", "utm_campaign"],
            ] as const
          ).map(([name, label]) => (
            <div key={name} className="flex flex-col gap-1.5">
              <Label htmlFor={name}>{label}</Label>
              <Input
                id={name}
                aria-invalid={!!errors[name]}
                aria-describedby={describe(name, !!errors[name])}
                {...form.register(name)}
              />
              {errors[name] ? (
                <FieldMessage id={`${name}-error`} tone="error">
                  {fieldError(name)}
                </FieldMessage>
              ) : null}
            </div>
          ))}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Message</CardTitle>
          <CardDescription>
            Plain text. Blank lines make paragraphs; links and {"{{variables}}"} are filled per recipient.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="name">Campaign name</Label>
            <Input
              id="name"
              aria-invalid={!!errors.name}
              aria-describedby={describe("name", !!errors.name)}
              {...form.register("name")}
            />
            {errors.name ? (
              <FieldMessage id="name-error" tone="error">
                {fieldError("name")}
              </FieldMessage>
            ) : null}
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="subject">Subject</Label>
            <Input
              id="subject"
              aria-invalid={!!errors.subject || issues.subject.length > 0}
              aria-describedby={issues.subject.length > 0 || errors.subject ? "subject-error" : undefined}
              {...subjectReg}
              ref={(el) => {
                subjectReg.ref(el);
                subjectRef.current = el;
              }}
              onFocus={() => (lastField.current = "subject")}
            />
            {issues.subject.length > 0 || errors.subject ? (
              <FieldMessage id="subject-error" tone="error">
                {issues.subject.join(" ") || fieldError("subject")}
              </FieldMessage>
            ) : null}
          </div>
          <div className="flex flex-col gap-1.5">
            <div className="flex items-end justify-between gap-2">
              <Label htmlFor="body">Body</Label>
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button type="button" variant="outline" size="sm">
                    <Braces aria-hidden />
                    Insert variable
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent align="end">
                  {TEMPLATE_VARIABLES.map((name) => (
                    <DropdownMenuItem key={name} onSelect={() => insert(name)}>
                      {`{{${name}}}`}
                    </DropdownMenuItem>
                  ))}
                </DropdownMenuContent>
              </DropdownMenu>
            </div>
            <Textarea
              id="body"
              rows={10}
              className="font-mono text-sm"
              aria-invalid={!!errors.body || issues.body.length > 0}
              aria-describedby={issues.body.length > 0 || errors.body ? "body-error" : undefined}
              {...bodyReg}
              ref={(el) => {
                bodyReg.ref(el);
                bodyRef.current = el;
              }}
              onFocus={() => (lastField.current = "body")}
            />
            {issues.body.length > 0 || errors.body ? (
              <FieldMessage id="body-error" tone="error">
                {issues.body.join(" ") || fieldError("body")}
              </FieldMessage>
            ) : null}
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Preview</CardTitle>
          <CardDescription>The message as one recipient will get it.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="preview-recipient">Preview for</Label>
            <Select
              id="preview-recipient"
              value={recipient.id}
              onChange={(e) => setPreviewId(e.target.value)}
              disabled={!sample.data || sample.data.length === 0}
            >
              {(sample.data && sample.data.length > 0 ? sample.data : [recipient]).map((r) => (
                <option key={r.id} value={r.id}>
                  {recipientLabel(r)}
                </option>
              ))}
            </Select>
          </div>
          <div aria-live="polite" data-testid="preview" className="rounded-md border bg-muted/30 p-3 text-sm">
            {!previewable ? (
              <p className="text-muted-foreground">
                Write a subject and body without errors to see the preview.
              </p>
            ) : preview.isPending ? (
              <Spinner label="Rendering preview" />
            ) : preview.error ? (
              <p className="text-destructive">{preview.error.message}</p>
            ) : (
              <>
                <p className="font-medium">
                  <span className="text-muted-foreground">Subject: </span>
                  <span data-testid="preview-subject">{preview.data?.subject}</span>
                </p>
                <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap break-words font-sans">
                  {preview.data?.text}
                </pre>
              </>
            )}
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="test-emails">Send a test to</Label>
            <div className="flex flex-col gap-2 sm:flex-row">
              <Input
                id="test-emails"
                placeholder="you@example.com, colleague@example.com"
                value={testEmails}
                onChange={(e) => setTestEmails(e.target.value)}
                aria-describedby="test-result"
              />
              <Button type="button" variant="outline" disabled={testing} onClick={() => void sendTest()}>
                {testing ? <Spinner label="Sending test" /> : <Send aria-hidden />}
                Send test
              </Button>
            </div>
            <FieldMessage id="test-result" aria-live="polite">
              {testResult ?? "Test copies say [Test] and are not counted in analytics."}
            </FieldMessage>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Send</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          <fieldset className="flex flex-col gap-2">
            <legend className="sr-only">When</legend>
            <Label className="font-normal">
              <input type="radio" value="now" {...form.register("sendMode")} />
              Send now
            </Label>
            <Label className="font-normal">
              <input type="radio" value="later" {...form.register("sendMode")} />
              Schedule
            </Label>
          </fieldset>
          {values.sendMode === "later" ? (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="scheduledAt">Send at (your time)</Label>
              <Input
                id="scheduledAt"
                type="datetime-local"
                aria-invalid={!!errors.scheduledAt}
                aria-describedby={describe("scheduledAt", !!errors.scheduledAt)}
                {...form.register("scheduledAt")}
              />
              {errors.scheduledAt ? (
                <FieldMessage id="scheduledAt-error" tone="error">
                  {fieldError("scheduledAt")}
                </FieldMessage>
              ) : null}
            </div>
          ) : null}
          <div className="flex flex-wrap justify-end gap-2">
            <Button
              type="button"
              variant="outline"
              disabled={isSubmitting}
              onClick={() => void submit("draft")()}
            >
              Save draft
            </Button>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? <Spinner label="Sending" /> : <Send aria-hidden />}
              {values.sendMode === "later" ? "Schedule campaign" : "Send campaign"}
            </Button>
          </div>
        </CardContent>
      </Card>
    </form>
  );
}
