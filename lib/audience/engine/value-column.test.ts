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
  it.each([undefined, 2])(
    "answers ranges like a plain map, before and after more moves (denseMin %s)",
    (denseMin) => {
      const RANGE_CODES = [0, 1, 2, 3, 4, 5, 6, 9, 70_000];
      const bounds = fc.tuple(fc.integer({ min: -1, max: 11 }), fc.option(fc.integer({ min: -1, max: 11 })));
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.constantFrom(...RANGE_CODES)), {
            maxLength: 300,
          }),
          fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.constantFrom(...RANGE_CODES)), {
            maxLength: 100,
          }),
          fc.array(bounds, { minLength: 1, maxLength: 6 }),
          (first, then, ranges) => {
            // Capacity 64 grows to 128 on the way, so the threshold bitsets must grow too.
            const col = new ValueColumn(64, denseMin);
            const model = new Map<number, number>();
            const check = () => {
              for (const [lo, hi] of ranges) {
                const top = hi ?? Infinity;
                const bits = new Uint32Array(wordsFor(128));
                col.rangeInto(bits, lo, top);
                const got: number[] = [];
                forEachBit(bits, (d) => got.push(d));
                const want = [...model]
                  .filter(([, c]) => c !== 0 && c >= lo && c <= top)
                  .map(([d]) => d)
                  .sort((a, b) => a - b);
                expect(got).toEqual(want);
              }
            };
            for (const [doc, code] of first) {
              if (doc >= 64) col.growTo(128);
              col.set(doc, code);
              model.set(doc, code);
            }
            check();
            for (const [doc, code] of then) {
              col.growTo(128);
              col.set(doc, code);
              model.set(doc, code);
            }
            check();
          },
        ),
        { numRuns: 300 },
      );
    },
  );
});
