/**
 * Reuse of read answers. An answer computed at virtual time `from` for world revision
 * `revision` stays true until the next write (which bumps the revision) or until `until`, the
 * first time something it read changes or the world's next scheduled run falls due (see
 * `World.readAt`), whatever the clock's speed. Answers are kept encoded, so a reuse writes
 * the bytes as they are.
 */

export interface CachedAnswer {
  revision: number;
  /** Virtual time the answer was computed at. */
  from: number;
  /** First virtual time at which it may differ (exclusive). */
  until: number;
  status: number;
  bytes: Uint8Array<ArrayBuffer>;
  /** The operation that answered it (for the request log of a reuse). */
  operationId?: string;
}

/** An answer still being produced (a large one, serialised in chunks); others may share it. */
export interface PendingAnswer {
  revision: number;
  from: number;
  until: number;
  status: number;
  /** Subscribes to the answer's bytes: the chunks made so far, then each new one. */
  stream(): ReadableStream<Uint8Array>;
}

export class AnswerCache {
  private readonly answers = new Map<string, CachedAnswer>();
  private readonly pending = new Map<string, PendingAnswer>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = 256,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /** The kept answer for `key` when it still holds at (revision, now). */
  get(key: string, revision: number, now: number): CachedAnswer | undefined {
    const hit = this.answers.get(key);
    if (hit && hit.revision === revision && now >= hit.from && now < hit.until) return hit;
    return undefined;
  }

  /** An answer being produced for `key` that will hold at (revision, now). */
  getPending(key: string, revision: number, now: number): PendingAnswer | undefined {
    const p = this.pending.get(key);
    if (p && p.revision === revision && now >= p.from && now < p.until) return p;
    return undefined;
  }

  setPending(key: string, answer: PendingAnswer): void {
    this.pending.set(key, answer);
  }

  /** Forgets a pending answer (once it is complete or failed), unless another replaced it. */
  endPending(key: string, answer: PendingAnswer): void {
    if (this.pending.get(key) === answer) this.pending.delete(key);
  }

  /** Keeps an answer (the oldest ones go first when the cache is full). */
  set(key: string, answer: CachedAnswer): void {
    if (answer.bytes.byteLength > this.maxBytes) return;
    const previous = this.answers.get(key);
    if (previous) {
      this.answers.delete(key);
      this.bytes -= previous.bytes.byteLength;
    }
    while (this.answers.size >= this.maxEntries || (this.answers.size && this.bytes + answer.bytes.byteLength > this.maxBytes)) {
      const [oldestKey, oldest] = this.answers.entries().next().value!;
      this.answers.delete(oldestKey);
      this.bytes -= oldest.bytes.byteLength;
    }
    this.answers.set(key, answer);
    this.bytes += answer.bytes.byteLength;
  }

  get size(): number {
    return this.answers.size;
  }
}
