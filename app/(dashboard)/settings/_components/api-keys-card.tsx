"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Copy, KeyRound } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";

import { createApiKeyAction, revokeApiKeyAction } from "@/app/(dashboard)/settings/actions";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { type ApiKey, CreateApiKeyInput } from "@/lib/api-keys/schemas";

const date = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString("en-US", { dateStyle: "medium" }) : "—";

function RevokeButton({ apiKey }: { apiKey: ApiKey }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  if (!confirming)
    return (
      <Button
        variant="outline"
        size="sm"
        onClick={() => setConfirming(true)}
        aria-label={`Revoke ${apiKey.name}`}
      >
        Revoke
      </Button>
    );
  return (
    <div className="flex gap-1">
      <Button
        variant="destructive"
        size="sm"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const result = await revokeApiKeyAction(apiKey.id).catch(() => null);
          setPending(false);
          if (!result?.ok) return toast.error(result ? result.problem.detail : "Could not revoke the key.");
          toast.success(`${apiKey.name} revoked`);
          router.refresh();
        }}
      >
        {pending ? <Spinner label="Revoking" /> : null}
        Confirm revoke
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
        Keep
      </Button>
    </div>
  );
}

export function ApiKeysCard({ keys }: { keys: ApiKey[] }) {
  const router = useRouter();
  const form = useForm<CreateApiKeyInput>({
    resolver: zodResolver(CreateApiKeyInput),
    defaultValues: { name: "", scopes: ["read"] },
  });
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (input) => {
    setFormError(null);
    const result = await createApiKeyAction(input).catch(() => null);
    if (!result) return setFormError("Something went wrong. Please try again.");
    if (!result.ok) return setFormError(result.problem.detail);
    setSecret({ name: result.data.key.name, value: result.data.secret });
    form.reset();
    router.refresh();
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>API keys</CardTitle>
        <CardDescription>
          Keys authenticate calls to the Rally API. A key is shown once, when created.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        {secret ? (
          <Alert
            variant="success"
            title={`Copy the key for ${secret.name} now`}
            action={
              <Button variant="ghost" size="sm" onClick={() => setSecret(null)}>
                Done
              </Button>
            }
          >
            <p className="mb-2">It will not be shown again.</p>
            <div className="flex items-center gap-2">
              <code data-testid="new-api-key" className="rounded bg-muted px-2 py-1 text-xs break-all">
                {secret.value}
              </code>
              <Button
                variant="outline"
                size="icon-sm"
                aria-label="Copy key"
                onClick={() =>
                  navigator.clipboard
                    .writeText(secret.value)
                    .then(() => toast.success("Copied"))
                    .catch(() => toast.error("Copy failed; select the key instead."))
                }
              >
                <Copy aria-hidden />
              </Button>
            </div>
          </Alert>
        ) : null}

        <form noValidate onSubmit={onSubmit} className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="flex flex-1 flex-col gap-2">
            <Label htmlFor="key-name">Key name</Label>
            <Input
              id="key-name"
              placeholder="e.g. CRM sync"
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? "key-name-error" : undefined}
              {...form.register("name")}
            />
            {errors.name ? (
              <FieldMessage id="key-name-error" tone="error">
                {errors.name.message}
              </FieldMessage>
            ) : null}
          </div>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-2 text-sm font-medium">Scopes</legend>
            <div className="flex h-9 items-center gap-4">
              {(["read", "write"] as const).map((scope) => (
                <label key={scope} className="flex items-center gap-2 text-sm">
                  <Checkbox value={scope} {...form.register("scopes")} />
                  {scope}
                </label>
              ))}
            </div>
            {errors.scopes ? <FieldMessage tone="error">{errors.scopes.message}</FieldMessage> : null}
          </fieldset>
          <Button type="submit" disabled={isSubmitting}>
            {isSubmitting ? <Spinner label="Creating" /> : <KeyRound aria-hidden />}
            Create key
          </Button>
        </form>
        {formError ? <Alert variant="destructive">{formError}</Alert> : null}

        {keys.length === 0 ? (
          <EmptyState
            icon={KeyRound}
            headingLevel={3}
            title="No API keys"
            description="Create one to call the API."
          />
        ) : (
          <div className="overflow-x-auto" role="region" aria-label="API keys" tabIndex={0}>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Key</TableHead>
                  <TableHead>Scopes</TableHead>
                  <TableHead>Created</TableHead>
                  <TableHead>Last used</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {keys.map((k) => (
                  <TableRow key={k.id}>
                    <TableCell className="font-medium">{k.name}</TableCell>
                    <TableCell>
                      <code className="text-xs">{k.prefix}…</code>
                    </TableCell>
                    <TableCell>{k.scopes.join(", ")}</TableCell>
                    <TableCell>{date(k.createdAt)}</TableCell>
                    <TableCell>{date(k.lastUsedAt)}</TableCell>
                    <TableCell>
                      {k.revokedAt ? <Badge variant="outline">Revoked</Badge> : <RevokeButton apiKey={k} />}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
