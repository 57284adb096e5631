/**
 * Turn-taking of large answers (src/turns.ts) and the streams that use it (src/stream.ts):
 * order, budget, and readers that go away while a piece waits for its turn.
 */
import { describe, expect, it } from "vitest";
import { ChunkedJson, PIECE_BYTES, piecewise } from "../src/stream.js";
import { TURN_MS, Turns, turns } from "../src/turns.js";

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("Turns", () => {
  it("runs a piece at once while the turn has time left, and later ones in order once it is used up", async () => {
    const t = new Turns();
    const ran: number[] = [];
    await t.wait(); // the first piece starts a turn
    t.take(() => ran.push(1));
    expect(ran).toEqual([1]);
    busy(TURN_MS + 1);
    const more = Array.from({ length: 12 }, (_, i) => i + 2);
    for (const n of more) t.take(() => ran.push(n));
    expect(ran).toEqual([1]);
    expect(t.queued).toBe(12);
    // A turn lets a few go (its immediate was scheduled before this one), the next turn the rest.
    await nextTurn();
    expect(ran.length).toBeGreaterThan(1);
    expect(ran.length).toBeLessThan(13);
    expect(ran).toEqual([1, ...more.slice(0, ran.length - 1)]);
    await nextTurn();
    expect(ran).toEqual([1, ...more]);
    expect(t.queued).toBe(0);
  });

  it("lets a few waiting pieces go per turn, so other callbacks run between them", async () => {
    const t = new Turns();
    busy(0);
    const ran: number[] = [];
    for (let n = 0; n < 30; n++) t.take(() => ran.push(n));
    const seen: number[] = [];
    const probe = () => {
      seen.push(ran.length);
      if (t.queued) setImmediate(probe);
    };
    setImmediate(probe);
    while (t.queued) await nextTurn();
    await nextTurn();
    expect(ran).toEqual([...Array(30).keys()]);
    // The probe ran between releases: it saw some, not all, pieces done at least once.
    expect(seen.some((n) => n > 0 && n < 30)).toBe(true);
  });

  it("gives the other waiting pieces their turns when one of them throws", async () => {
    const t = new Turns();
    const ran: number[] = [];
    const errors: unknown[] = [];
    const onError = (e: unknown) => errors.push(e);
    process.prependListener("uncaughtException", onError);
    try {
      t.take(() => {
        throw new Error("piece failed");
      });
      for (let n = 0; n < 6; n++) t.take(() => ran.push(n));
      for (let i = 0; i < 20 && ran.length < 6; i++) await nextTurn();
    } finally {
      process.removeListener("uncaughtException", onError);
    }
    expect(ran).toEqual([0, 1, 2, 3, 4, 5]);
    expect(errors).toEqual([new Error("piece failed")]);
  });
});

describe("large answers in pieces", () => {
  const big = () => new TextEncoder().encode("x".repeat(PIECE_BYTES * 6 + 17)) as Uint8Array<ArrayBuffer>;

  it("writes kept bytes in pieces of at most PIECE_BYTES, all of them, in order", async () => {
    const bytes = big();
    const reader = piecewise(bytes).getReader();
    const pieces: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(r.value);
    expect(pieces.length).toBe(7);
    for (const p of pieces) expect(p.byteLength).toBeLessThanOrEqual(PIECE_BYTES);
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes))).toBe(true);
  });

  it("stops quietly when the reader goes away while its next piece waits for a turn", async () => {
    const reader = piecewise(big()).getReader();
    await reader.read();
    busy(TURN_MS + 1); // the turn is used up: the next piece waits
    const pending = reader.read();
    // The stream asks for the piece a few microtasks later; it then waits for a turn.
    for (let i = 0; i < 20 && turns.queued === 0; i++) await Promise.resolve();
    expect(turns.queued).toBeGreaterThan(0);
    await reader.cancel();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    while (turns.queued) await nextTurn(); // the waiting piece's turn comes and does nothing
  });

  it("serves a list being made to readers that joined early and late, and to one that left", async () => {
    const list = Array.from({ length: 5_000 }, (_, i) => ({ i, pad: "y".repeat(100) }));
    const made = new ChunkedJson(list);
    const early = new Response(made.stream()).text();
    const leaving = made.stream().getReader();
    await leaving.read();
    await leaving.cancel();
    await nextTurn();
    const late = new Response(made.stream()).text();
    const whole = new TextDecoder().decode(await made.done);
    expect(whole).toBe(JSON.stringify(list));
    expect(await early).toBe(whole);
    expect(await late).toBe(whole);
    expect(await new Response(made.stream()).text()).toBe(whole); // after it is done
  });
});
