import { describe, expect, it } from "vitest";

import { RwLock } from "@/dev/dynamodb/rw-lock";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("RwLock", () => {
  it("lets readers share the lock", async () => {
    const lock = new RwLock();
    const gate = deferred();
    const a = lock.read(() => gate.promise);
    const b = lock.read(() => gate.promise);
    await tick();
    expect(lock.state).toEqual({ readers: 2, writer: false, waiting: 0 });
    gate.resolve();
    await Promise.all([a, b]);
    expect(lock.state).toEqual({ readers: 0, writer: false, waiting: 0 });
  });

  it("keeps a writer alone: readers wait for it and it waits for readers", async () => {
    const lock = new RwLock();
    const events: string[] = [];
    const readGate = deferred();
    const writeGate = deferred();
    const r1 = lock.read(async () => {
      events.push("r1 in");
      await readGate.promise;
      events.push("r1 out");
    });
    const w = lock.write(async () => {
      events.push("w in");
      await writeGate.promise;
      events.push("w out");
    });
    const r2 = lock.read(() => {
      events.push("r2 in");
    });
    await tick();
    expect(events).toEqual(["r1 in"]);
    readGate.resolve();
    await tick();
    await tick();
    expect(events).toEqual(["r1 in", "r1 out", "w in"]);
    writeGate.resolve();
    await Promise.all([r1, w, r2]);
    expect(events).toEqual(["r1 in", "r1 out", "w in", "w out", "r2 in"]);
  });

  it("serves waiters in arrival order so a stream of readers cannot starve a writer", async () => {
    const lock = new RwLock();
    const order: string[] = [];
    const first = deferred();
    const held = lock.read(() => first.promise);
    const all = [
      lock.write(() => void order.push("w1")),
      lock.read(() => void order.push("r1")),
      lock.read(() => void order.push("r2")),
      lock.write(() => void order.push("w2")),
    ];
    first.resolve();
    await Promise.all([held, ...all]);
    expect(order).toEqual(["w1", "r1", "r2", "w2"]);
  });

  it("releases the lock when the holder throws", async () => {
    const lock = new RwLock();
    await expect(lock.write(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock.write(() => "ok")).resolves.toBe("ok");
    expect(lock.state).toEqual({ readers: 0, writer: false, waiting: 0 });
  });

  it("never lets two writers overlap under contention", async () => {
    const lock = new RwLock();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 3 === 0 ? lock.write.bind(lock) : lock.read.bind(lock))(async () => {
          if (i % 3 === 0) {
            inside++;
            maxInside = Math.max(maxInside, inside);
            expect(lock.state.readers).toBe(0);
            await tick();
            inside--;
          } else {
            expect(lock.state.writer).toBe(false);
            await tick();
          }
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });
});
