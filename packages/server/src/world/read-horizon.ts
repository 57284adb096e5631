/**
 * The world's hookup to the virtual clock for reads: while an answer is computed, the earliest
 * virtual time after it at which something the answer read would read differently (a backup or
 * restore step, an agent going online or idle, a version expiring, a running duration ticking,
 * an hour changing a schedule's echo). Reads call `until` for each such time they depend on.
 */
import { NEVER, type Step } from "./types.js";

export class ReadHorizon {
  private horizon = NEVER;
  private horizonFrom = 0;

  /** Notes that what was just read at the tracked time changes at `at`. */
  until(at: number): void {
    if (at > this.horizonFrom && at < this.horizon) this.horizon = at;
  }

  /**
   * Runs a read at `now`: its value, and until when it holds (the first change it noted, or
   * `nextDue()`, the next scheduled run, whichever comes first; never before `now + 1`).
   */
  run<T>(now: number, read: () => T, nextDue: () => number): { value: T; until: number } {
    this.horizon = NEVER;
    this.horizonFrom = now;
    try {
      const value = read();
      const due = nextDue();
      return { value, until: Math.min(this.horizon, due > now ? due : now + 1) };
    } finally {
      this.horizon = NEVER;
      this.horizonFrom = 0;
    }
  }

  /** The step of a timeline at `now`, noting when the next one begins. */
  stepAt<T>(timeline: Step<T>[], now: number): Step<T> {
    let current = timeline[0]!;
    for (const step of timeline) {
      if (step.at <= now) current = step;
      else {
        this.until(step.at);
        break;
      }
    }
    return current;
  }
}
