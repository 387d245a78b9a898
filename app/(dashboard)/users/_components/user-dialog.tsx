"use client";

import { createUserAction, updateUserAction } from "@/app/(dashboard)/users/actions";
import { UserForm } from "@/components/users/user-form";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { type AudienceUser } from "@/lib/audience/schemas";

/** Create or edit a user in a dialog; closes and reports back once the server accepted it. */
export function UserDialog({
  open,
  onOpenChange,
  mode,
  user,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  mode: "create" | "edit";
  user?: AudienceUser;
  onSaved: () => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{mode === "create" ? "New user" : "Edit user"}</DialogTitle>
          <DialogDescription>
            {mode === "create" ? "Email must be unique." : "Clear an optional field to remove it."}
          </DialogDescription>
        </DialogHeader>
        {open ? (
          <UserForm
            key={user?.id ?? "new"}
            mode={mode}
            defaults={user}
            onSubmit={(input) =>
              mode === "create" || !user ? createUserAction(input) : updateUserAction(user.id, input)
            }
            onDone={() => {
              onOpenChange(false);
              onSaved();
            }}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
