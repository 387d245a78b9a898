"use server";

import { redirect } from "next/navigation";

import { submitPublicRegistration } from "@/lib/attribution/public-form";

/** Public registration form target; works without JavaScript (plain POST, then a redirect with a status). */
export async function registerAction(form: FormData): Promise<never> {
  redirect(await submitPublicRegistration(form));
}
