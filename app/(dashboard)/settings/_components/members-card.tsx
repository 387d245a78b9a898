"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";

import { changeMemberRoleAction, createMemberAction } from "@/app/(dashboard)/settings/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { ROLES } from "@/lib/auth/roles";
import { type Role } from "@/lib/context";
import { CreateMemberInput, type Member } from "@/lib/members/schemas";

const ROLE_HELP: Record<Role, string> = {
  admin: "everything, including API keys and members",
  organizer: "users, events and campaigns",
  viewer: "read-only",
};

function RoleEditor({ member, isSelf }: { member: Member; isSelf: boolean }) {
  const router = useRouter();
  const [role, setRole] = useState<Role>(member.role);
  const [pending, setPending] = useState(false);
  const id = `role-${member.id}`;
  return (
    <div className="flex items-center gap-2">
      <label htmlFor={id} className="sr-only">
        Role of {member.name}
      </label>
      <Select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)} className="w-36">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </Select>
      <Button
        variant="outline"
        size="sm"
        disabled={pending || role === member.role}
        aria-label={`Save role of ${member.name}`}
        onClick={async () => {
          setPending(true);
          const result = await changeMemberRoleAction({ email: member.email, role }).catch(() => null);
          setPending(false);
          if (!result?.ok) {
            setRole(member.role);
            return toast.error(result ? result.problem.detail : "Could not change the role.");
          }
          toast.success(`${member.name} is now ${role}${isSelf ? " (your own access changed)" : ""}`);
          router.refresh();
        }}
      >
        {pending ? <Spinner label="Saving" /> : null}
        Save
      </Button>
    </div>
  );
}

export function MembersCard({ members, currentEmail }: { members: Member[]; currentEmail: string }) {
  const router = useRouter();
  const form = useForm<CreateMemberInput>({
    resolver: zodResolver(CreateMemberInput),
    defaultValues: { email: "", name: "", role: "organizer", password: "" },
  });
  const [formError, setFormError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (input) => {
    setFormError(null);
    const result = await createMemberAction(input).catch(() => null);
    if (!result) return setFormError("Something went wrong. Please try again.");
    if (!result.ok) {
      for (const issue of result.problem.errors)
        if (issue.field in form.getValues())
          form.setError(issue.field as keyof CreateMemberInput, { message: issue.message });
      return setFormError(result.problem.detail);
    }
    toast.success(`${result.data.name} added as ${result.data.role}`);
    form.reset();
    router.refresh();
  });

  const error = (name: keyof CreateMemberInput) =>
    errors[name] ? (
      <FieldMessage id={`member-${name}-error`} tone="error">
        {errors[name]?.message}
      </FieldMessage>
    ) : null;
  const aria = (name: keyof CreateMemberInput) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `member-${name}-error` : undefined,
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>
          Admins: {ROLE_HELP.admin}. Organizers: {ROLE_HELP.organizer}. Viewers: {ROLE_HELP.viewer}.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        <form
          noValidate
          onSubmit={onSubmit}
          className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
        >
          <div className="flex flex-col gap-2">
            <Label htmlFor="member-email">Email</Label>
            <Input
              id="member-email"
              type="email"
              autoComplete="off"
              {...aria("email")}
              {...form.register("email")}
            />
            {error("email")}
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor="member-name">Name</Label>
            <Input id="member-name" autoComplete="off" {...aria("name")} {...form.register("name")} />
            {error("name")}
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor="member-role">Role</Label>
            <Select id="member-role" {...form.register("role")}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-2">
            <Label htmlFor="member-password">Password (optional)</Label>
            <Input
              id="member-password"
              type="password"
              autoComplete="new-password"
              {...aria("password")}
              {...form.register("password")}
            />
            {error("password") ?? <FieldMessage>Empty: magic link only.</FieldMessage>}
          </div>
          <Button type="submit" disabled={isSubmitting} className="lg:mb-5">
            {isSubmitting ? <Spinner label="Adding" /> : <UserPlus aria-hidden />}
            Add member
          </Button>
        </form>
        {formError ? <Alert variant="destructive">{formError}</Alert> : null}

        <div className="overflow-x-auto" role="region" aria-label="Members" tabIndex={0}>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Email</TableHead>
                <TableHead>Sign-in</TableHead>
                <TableHead>Role</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.map((m) => (
                <TableRow key={m.id}>
                  <TableCell className="font-medium">
                    {m.name}
                    {m.email === currentEmail ? <span className="text-muted-foreground"> (you)</span> : null}
                  </TableCell>
                  <TableCell>{m.email}</TableCell>
                  <TableCell>{m.hasPassword ? "Password or link" : "Magic link"}</TableCell>
                  <TableCell>
                    <RoleEditor member={m} isSelf={m.email === currentEmail} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </CardContent>
    </Card>
  );
}
