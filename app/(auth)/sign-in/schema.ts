import { z } from "zod";

/** What the sign-in form sends to a password sign-in action. */
export const PasswordSignInInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address.")),
  password: z.string().min(1, "Enter your password."),
});
export type PasswordSignInInput = z.infer<typeof PasswordSignInInput>;

/** What the sign-in form sends to a magic-link action. */
export const MagicLinkInput = PasswordSignInInput.pick({ email: true });
export type MagicLinkInput = z.infer<typeof MagicLinkInput>;

/** Actions answer with this; `message` is shown to the user as is, so keep it free of internals. */
export type SignInResult = { ok: true } | { ok: false; message: string };
