import { escapeHtml } from "@/lib/campaigns/template";

/** The unsubscribe confirmation page: plain HTML, no script, one form that POSTs the one-click field. */
export function unsubscribePage(state: "confirm" | "done" | "invalid", action: string): string {
  const body =
    state === "confirm"
      ? `<h1>Unsubscribe?</h1><p>You will no longer receive campaign emails from Rally organizers at this address.</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>`
      : state === "done"
        ? "<h1>You are unsubscribed</h1><p>You will not receive further campaign emails at this address.</p>"
        : "<h1>Link not valid</h1><p>This unsubscribe link is invalid or has expired.</p>";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Rally — unsubscribe</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.5rem 1rem;cursor:pointer}</style>
</head><body>${body}</body></html>`;
}
