"use client";

import Link from "next/link";
import { useState } from "react";

import { saveSegmentAction } from "@/app/(dashboard)/users/actions";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { toast } from "@/components/ui/toaster";
import { type FilterTree } from "@/lib/audience/schemas";

/** Names the current filter and saves it as a segment (its count stays live). */
export function SaveSegmentDialog({
  open,
  onOpenChange,
  filter,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  filter: FilterTree;
}) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await saveSegmentAction({ name, filter });
      if (!result.ok) {
        setError(result.problem.errors.find((i) => i.field === "name")?.message ?? result.problem.detail);
        return;
      }
      onOpenChange(false);
      setName("");
      toast.success(`Segment saved: ${result.data.count.toLocaleString("en-US")} users right now`, {
        action: (
          <Link className="underline" href={`/campaigns/new?segmentId=${result.data.id}`}>
            Email them
          </Link>
        ),
      });
    } catch {
      setError("Something went wrong. Please try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form noValidate onSubmit={submit} className="flex flex-col gap-4">
          <DialogHeader>
            <DialogTitle>Save as segment</DialogTitle>
            <DialogDescription>
              A segment keeps this filter; its member count is always computed live.
            </DialogDescription>
          </DialogHeader>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="segment-name">Segment name</Label>
            <Input
              id="segment-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "segment-name-error" : undefined}
            />
            {error ? (
              <FieldMessage id="segment-name-error" tone="error">
                {error}
              </FieldMessage>
            ) : null}
          </div>
          <DialogFooter>
            <Button type="submit" disabled={busy}>
              {busy ? <Spinner /> : null}
              Save segment
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
