import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { forEachBit, wordsFor } from "@/lib/audience/engine/bitset";
import { ValueColumn } from "@/lib/audience/engine/value-column";

// Few docs and codes so docs move back and forth (stale and duplicate posting entries), one code above
// 65535 to force the 16 → 32-bit widening, and small dense thresholds to cover the bitset path.
const CODES = [0, 1, 2, 3, 70_000];

describe("ValueColumn", () => {
  it.each([undefined, 3])("matches a plain map after random moves (denseMin %s)", (denseMin) => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(...CODES)), { maxLength: 400 }),
        fc.boolean(),
        (moves, compactFirst) => {
          const col = new ValueColumn(64, denseMin);
          const model = new Map<number, number>();
          for (const [doc, code] of moves) {
            expect(col.set(doc, code)).toBe((model.get(doc) ?? 0) !== code);
            model.set(doc, code);
          }
          if (compactFirst) col.compact();
          for (const code of CODES.slice(1)) {
            const bits = new Uint32Array(wordsFor(64));
            col.orInto(bits, code);
            const got: number[] = [];
            forEachBit(bits, (d) => got.push(d));
            const want = [...model]
              .filter(([, c]) => c === code)
              .map(([d]) => d)
              .sort((a, b) => a - b);
            expect(got).toEqual(want);
            expect(col.count(code)).toBe(want.length);
          }
          for (const [doc, code] of model) expect(col.code(doc)).toBe(code);
        },
      ),
      { numRuns: 300 },
    );
  });
});
