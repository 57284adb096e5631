/**
 * Large answers take turns with everything else on the event loop. A piece of a large answer
 * goes out at once while the current turn has run for less than `TURN_MS`; past that it waits
 * for a later turn, and waiting pieces are let go a few at a time, so the requests that arrived
 * meanwhile are read and answered in between. Small answers never come here.
 *
 * Without this, one chunk of a 14 MB list made for 50 waiting connections was written to all
 * 50 sockets in one go (megabytes of copying) while a second tenant's small GET waited.
 */

/** How long the pieces of large answers may run in one turn of the event loop. */
export const TURN_MS = 4;
/** How many waiting pieces start a turn (each may be followed by more while time is left). */
const RELEASE_PER_TURN = 8;

/** The next turn of the event loop, after pending I/O (setImmediate where there is one). */
const later: (run: () => void) => void = globalThis.setImmediate ?? ((run) => setTimeout(run, 0));

export class Turns {
  /** When the current turn began (performance.now()); none yet. */
  private started = Number.NEGATIVE_INFINITY;
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /**
   * Runs `go` now if this turn has time left and nothing waits before it, else in a later turn.
   * (Letting a piece go ahead of waiting ones while time is left doubles the big lists' rate but
   * lets them take most of the CPU, and a small GET's p99 rose to 150-300 ms in the fairness scenario.)
   */
  take(go: () => void): void {
    if (this.waiting.length === 0 && performance.now() - this.started < TURN_MS) {
      go();
      return;
    }
    this.waiting.push(go);
    this.schedule();
  }

  /** A promise form of `take`. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.take(resolve));
  }

  /** How many pieces wait for a turn. */
  get queued(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    later(() => {
      this.scheduled = false;
      this.started = performance.now();
      let failure: { error: unknown } | undefined;
      for (const go of this.waiting.splice(0, RELEASE_PER_TURN)) {
        // Whatever one piece does, the others still get their turns; its error is not lost.
        try {
          go();
        } catch (error) {
          failure ??= { error };
        }
      }
      if (this.waiting.length) this.schedule();
      if (failure) throw failure.error;
    });
  }
}

/** The turns every large answer of this process takes (they share one event loop). */
export const turns = new Turns();
