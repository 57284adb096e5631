/**
 * The virtual clock every lifecycle derives from. It runs at `speed` virtual seconds per
 * real second (0 freezes it) and can be moved forward by `advance`.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), speed: 0 });
 * clock.advance(60_000); // one virtual minute later
 * ```
 */
/** The latest virtual time: the end of year 9999, the last instant every date format of the APIs can write. */
export const MAX_VIRTUAL_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export class VirtualClock {
  private baseVirtual: number;
  private baseReal: number;
  speed: number;

  constructor(options: { start?: number; speed?: number; realNow?: () => number } = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.baseReal = this.realNow();
    this.baseVirtual = Math.min(options.start ?? this.baseReal, MAX_VIRTUAL_TIME);
    this.speed = options.speed ?? 1;
  }

  private readonly realNow: () => number;

  /** The latest time `now` answered: it never answers less, even if the system clock steps back. */
  private shown = Number.NEGATIVE_INFINITY;

  /** Current virtual time, epoch milliseconds. */
  now(): number {
    const running = this.speed === 0 ? this.baseVirtual : Math.floor(this.baseVirtual + (this.realNow() - this.baseReal) * this.speed);
    // A running clock stops at the bound rather than pass it, and never answers less than before.
    const now = Math.min(running, MAX_VIRTUAL_TIME);
    if (now < this.shown) return this.shown;
    return (this.shown = now);
  }

  /** Moves virtual time forward by `ms` (never past MAX_VIRTUAL_TIME) and returns the new time. */
  advance(ms: number): number {
    const now = this.now();
    this.baseVirtual = Math.min(now + Math.max(0, ms), MAX_VIRTUAL_TIME);
    this.baseReal = this.realNow();
    return this.baseVirtual;
  }

  /** Sets the virtual time (never backwards). */
  set(ms: number): void {
    this.baseVirtual = Math.min(Math.max(this.now(), ms), MAX_VIRTUAL_TIME);
    this.baseReal = this.realNow();
  }
}

/** `/Date(ms)/`, the service's date format. */
export const msDate = (ms: number): string => `/Date(${Math.floor(ms)})/`;
export const msDateOrNull = (ms: number | null | undefined): string | null => (ms == null ? null : msDate(ms));
