"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Eye, EyeOff, MailCheck } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";

import { MagicLinkInput, PasswordSignInInput, type SignInResult } from "@/app/(auth)/sign-in/schema";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { FieldMessage, Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";

export interface SignInFormProps {
  /** Server action that checks the password and starts a session. */
  onPasswordSignIn?: (input: PasswordSignInInput) => Promise<SignInResult>;
  /** Server action that emails a one-time sign-in link. */
  onMagicLink?: (input: MagicLinkInput) => Promise<SignInResult>;
  /** Where to go after a password sign-in succeeds. */
  redirectTo?: string;
}

const NOT_CONNECTED = "Sign-in is not available yet. Please try again later.";

export function SignInForm({ onPasswordSignIn, onMagicLink, redirectTo = "/events" }: SignInFormProps) {
  const form = useForm<PasswordSignInInput>({
    resolver: zodResolver(PasswordSignInInput),
    defaultValues: { email: "", password: "" },
  });
  const [showPassword, setShowPassword] = useState(false);
  const [pending, setPending] = useState<"password" | "magic" | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [linkSentTo, setLinkSentTo] = useState<string | null>(null);
  const { errors } = form.formState;

  const submitPassword = form.handleSubmit(async (input) => {
    setFormError(null);
    if (!onPasswordSignIn) return setFormError(NOT_CONNECTED);
    setPending("password");
    try {
      const result = await onPasswordSignIn(input);
      if (result.ok) window.location.assign(redirectTo);
      else setFormError(result.message);
    } catch {
      setFormError("Something went wrong. Please try again.");
    } finally {
      setPending(null);
    }
  });

  async function sendMagicLink() {
    setFormError(null);
    // Only the email matters here; a blank password must not block the link.
    form.clearErrors("password");
    const parsed = MagicLinkInput.safeParse({ email: form.getValues("email") });
    if (!parsed.success) {
      form.setError("email", { message: parsed.error.issues[0]?.message ?? "Enter a valid email address." });
      form.setFocus("email");
      return;
    }
    if (!onMagicLink) return setFormError(NOT_CONNECTED);
    setPending("magic");
    try {
      const result = await onMagicLink(parsed.data);
      if (result.ok) setLinkSentTo(parsed.data.email);
      else setFormError(result.message);
    } catch {
      setFormError("Something went wrong. Please try again.");
    } finally {
      setPending(null);
    }
  }

  if (linkSentTo) {
    return (
      <div role="status" className="flex flex-col items-center gap-3 py-4 text-center">
        <span className="flex size-12 items-center justify-center rounded-full bg-accent text-accent-foreground">
          <MailCheck aria-hidden className="size-6" />
        </span>
        <h2 className="text-lg font-semibold">Check your inbox</h2>
        <p className="text-sm text-muted-foreground">
          We sent a sign-in link to <span className="font-medium text-foreground">{linkSentTo}</span>. It
          works once and expires soon.
        </p>
        <Button variant="link" onClick={() => setLinkSentTo(null)}>
          Use a different email
        </Button>
      </div>
    );
  }

  return (
    // method="post": a submit before hydration must never put the password in the URL.
    <form
      method="post"
      noValidate
      onSubmit={submitPassword}
      className="flex flex-col gap-4"
      aria-busy={pending !== null}
    >
      {formError ? <Alert variant="destructive">{formError}</Alert> : null}

      <div className="flex flex-col gap-2">
        <Label htmlFor="email">Email</Label>
        <Input
          id="email"
          type="email"
          autoComplete="email"
          inputMode="email"
          placeholder="you@example.com"
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? "email-error" : undefined}
          {...form.register("email")}
        />
        {errors.email ? (
          <FieldMessage id="email-error" tone="error">
            {errors.email.message}
          </FieldMessage>
        ) : null}
      </div>

      <div className="flex flex-col gap-2">
        <Label htmlFor="password">Password</Label>
        <div className="relative">
          <Input
            id="password"
            type={showPassword ? "text" : "password"}
            autoComplete="current-password"
            className="pr-10"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
            {...form.register("password")}
          />
          <Button
            variant="ghost"
            size="icon-sm"
            className="absolute top-0.5 right-0.5 text-muted-foreground"
            onClick={() => setShowPassword((shown) => !shown)}
            aria-label={showPassword ? "Hide password" : "Show password"}
            aria-pressed={showPassword}
          >
            {showPassword ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
          </Button>
        </div>
        {errors.password ? (
          <FieldMessage id="password-error" tone="error">
            {errors.password.message}
          </FieldMessage>
        ) : null}
      </div>

      <Button type="submit" size="lg" disabled={pending !== null}>
        {pending === "password" ? <Spinner label="Signing in" /> : null}
        Sign in
      </Button>

      <div className="flex items-center gap-3 text-xs text-muted-foreground">
        <span aria-hidden className="h-px flex-1 bg-border" />
        or
        <span aria-hidden className="h-px flex-1 bg-border" />
      </div>

      <Button variant="outline" size="lg" onClick={sendMagicLink} disabled={pending !== null}>
        {pending === "magic" ? <Spinner label="Sending link" /> : <MailCheck aria-hidden />}
        Email me a magic link
      </Button>
    </form>
  );
}
