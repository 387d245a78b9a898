import type { CSSProperties } from "react";

/** Recharts tooltip styling from theme tokens, so it reads well in both themes. */
export const tooltipContentStyle: CSSProperties = {
  background: "var(--popover)",
  color: "var(--popover-foreground)",
  border: "1px solid var(--border)",
  borderRadius: "calc(var(--radius) - 2px)",
  boxShadow: "0 8px 24px rgb(15 23 42 / 0.12)",
  fontSize: 12,
  padding: "8px 10px",
};

export const tooltipLabelStyle: CSSProperties = { color: "var(--muted-foreground)", marginBottom: 4 };

export const axisTick = { fill: "var(--muted-foreground)", fontSize: 12 };
