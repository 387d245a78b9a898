"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type FieldErrors, type Resolver, useForm } from "react-hook-form";
import { type z } from "zod";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { type ActionResult } from "@/lib/auth/action-result";
import { CreateUserInput, GENDER_SUGGESTIONS, UpdateUserInput } from "@/lib/users/schemas";

const FIELDS = [
  ["firstName", "First name", "text"],
  ["lastName", "Last name", "text"],
  ["email", "Email", "email"],
  ["phoneNumber", "Phone", "tel"],
  ["company", "Company", "text"],
  ["jobTitle", "Job title", "text"],
  ["city", "City", "text"],
  ["state", "State", "text"],
  ["gender", "Gender", "text"],
  ["avatar", "Avatar URL", "url"],
] as const;

type FieldName = (typeof FIELDS)[number][0];
export type UserFormValues = Record<FieldName, string>;
const OPTIONAL: readonly FieldName[] = [
  "phoneNumber",
  "company",
  "jobTitle",
  "city",
  "state",
  "gender",
  "avatar",
];

/** Form strings → the API input: blanks are absent on create and cleared (null) on edit. */
export function toUserInput(values: UserFormValues, mode: "create" | "edit"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name] of FIELDS) {
    const value = values[name].trim();
    if (value !== "") out[name] = value;
    else if (OPTIONAL.includes(name) && mode === "edit") out[name] = null;
    else if (!OPTIONAL.includes(name)) out[name] = value;
  }
  return out;
}

/** The API's own schemas (lib/users/schemas.ts) via zodResolver, run on the converted input. */
function schemaResolver(mode: "create" | "edit"): Resolver<UserFormValues> {
  // withSnakeAliases' preprocess step types the input as unknown; the converted values are that input.
  const schema = (mode === "create" ? CreateUserInput : UpdateUserInput) as unknown as z.ZodType<
    Record<string, unknown>,
    Record<string, unknown>
  >;
  const resolve = zodResolver(schema);
  return async (values, context, options) => {
    const result = await resolve(toUserInput(values, mode), context, options as never);
    const errors: FieldErrors<UserFormValues> = {};
    for (const [path, error] of Object.entries(result.errors ?? {})) {
      const name = (path.split(".")[0] ?? "") as FieldName;
      if (error && FIELDS.some(([n]) => n === name))
        errors[name] = { type: "validate", message: String(error.message ?? "Invalid value.") };
    }
    return Object.keys(errors).length > 0 ? { values: {}, errors } : { values, errors: {} };
  };
}

export interface UserFormProps {
  mode: "create" | "edit";
  defaults?: Partial<UserFormValues>;
  /** Runs the server action; field errors it returns are shown inline. */
  onSubmit: (input: Record<string, unknown>) => Promise<ActionResult<{ id: string }>>;
  onDone: () => void;
}

/** Create / edit a user; the same zod schemas as POST and PATCH /api/users. */
export function UserForm({ mode, defaults, onSubmit, onDone }: UserFormProps) {
  const form = useForm<UserFormValues>({
    resolver: schemaResolver(mode),
    defaultValues: Object.fromEntries(FIELDS.map(([n]) => [n, defaults?.[n] ?? ""])) as UserFormValues,
  });
  const [formError, setFormError] = useState<string | null>(null);
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    let result: ActionResult<{ id: string }>;
    try {
      result = await onSubmit(toUserInput(values, mode));
    } catch {
      setFormError("Something went wrong. Please try again.");
      return;
    }
    if (!result.ok) {
      for (const issue of result.problem.errors) {
        const name = (issue.field.split(".")[0] ?? "") as FieldName;
        if (FIELDS.some(([n]) => n === name)) form.setError(name, { type: "server", message: issue.message });
      }
      setFormError(result.problem.detail);
      return;
    }
    onDone();
  });

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4" aria-busy={isSubmitting}>
      {formError ? <Alert variant="destructive">{formError}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {FIELDS.map(([name, label, type]) => (
          <div key={name} className="flex flex-col gap-1.5">
            <Label htmlFor={`user-${name}`}>{label}</Label>
            <Input
              id={`user-${name}`}
              type={type}
              list={name === "gender" ? "user-gender-suggestions" : undefined}
              autoComplete="off"
              aria-invalid={errors[name] ? true : undefined}
              aria-describedby={errors[name] ? `user-${name}-error` : undefined}
              {...form.register(name)}
            />
            {errors[name] ? (
              <FieldMessage id={`user-${name}-error`} tone="error">
                {errors[name]?.message}
              </FieldMessage>
            ) : null}
          </div>
        ))}
      </div>
      <datalist id="user-gender-suggestions">
        {GENDER_SUGGESTIONS.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      <div className="flex justify-end gap-2">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? <Spinner /> : null}
          {mode === "create" ? "Create user" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
