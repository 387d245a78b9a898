import { z } from "zod";

/** "maxCapacity" → "max_capacity". */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Accepts the original Python service's snake_case spellings for an object schema's camelCase keys, then
 * parses strictly (unknown keys are rejected by name). Giving both spellings with different values fails.
 */
export function withSnakeAliases<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>) {
  const aliases = new Map<string, string>();
  for (const key of Object.keys(schema.shape)) {
    const snake = camelToSnake(key);
    if (snake !== key) aliases.set(snake, key);
  }
  return z.preprocess((value, ctx) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [snake, camel] of aliases) {
      if (!(snake in out)) continue;
      const snakeValue = out[snake];
      delete out[snake];
      if (camel in out && !sameValue(out[camel], snakeValue)) {
        ctx.addIssue({
          code: "custom",
          path: [camel],
          message: `Both "${camel}" and "${snake}" were given with different values.`,
        });
        continue;
      }
      out[camel] = snakeValue;
    }
    return out;
  }, schema.strict());
}
