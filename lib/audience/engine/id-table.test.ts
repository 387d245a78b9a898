import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { IdTable } from "@/lib/audience/engine/id-table";

describe("IdTable", () => {
  it("behaves like a Map under random adds and deletes, across resizes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3000 })), {
          maxLength: 6000,
          size: "large",
        }),
        (ops) => {
          const idOfDoc: string[] = [];
          const table = new IdTable((doc) => idOfDoc[doc]!);
          const model = new Map<string, number>();
          for (const [add, n] of ops) {
            const id = `user-${n}`;
            if (add && !model.has(id)) {
              const doc = idOfDoc.length;
              idOfDoc.push(id);
              table.add(id, doc);
              model.set(id, doc);
            } else if (!add) {
              table.delete(id);
              model.delete(id);
            }
            expect(table.get(id)).toBe(model.get(id));
          }
          expect(table.size).toBe(model.size);
          for (const [id, doc] of model) expect(table.get(id)).toBe(doc);
        },
      ),
      { numRuns: 40 },
    );
  });
});
