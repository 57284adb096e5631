/** How the client retries. Every field is optional; unset fields keep their defaults. */
export interface RetryOptions {
  /** Retries after a 503 or a network failure of a GET, PUT or DELETE (default 3). */
  retries?: number;
  /** Backoff base: the n-th retry waits a random time up to `baseDelayMs * 2^n` (default 500). */
  baseDelayMs?: number;
  /** Backoff cap (default 10 000). */
  maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this (milliseconds) is not waited for: the error is thrown
   * at once, with `retryAfter` set (default 120 000).
   */
  maxRetryAfterMs?: number;
  /** Retries of a StartManual refused with 403 right after a wake-up (default 20). */
  startRetries?: number;
  /** Pause between those retries (default 1 000). */
  startDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  retries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 120_000,
  startRetries: 20,
  startDelayMs: 1_000,
});

/** No retries at all (`retry: false`). */
export const NO_RETRY: RetryPolicy = Object.freeze({ ...DEFAULT_RETRY, retries: 0, startRetries: 0 });

/** Merges retry settings: `false` turns retries off, an object overrides field by field. */
export function resolveRetry(base: RetryPolicy, override: RetryOptions | false | undefined): RetryPolicy {
  if (override === false) return NO_RETRY;
  if (override === undefined) return base;
  const merged = { ...base };
  for (const key of Object.keys(override) as (keyof RetryOptions)[]) {
    const value = override[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || Number.isNaN(value) || value < 0)
      throw new RangeError(`retry.${key} must be a number >= 0, got ${String(value)}`);
    merged[key] = value;
  }
  return merged;
}

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^attempt)). */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Waits `ms` milliseconds (via `setTimeout`); rejects with the signal's reason when it aborts. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Races a promise against a signal: rejects with the signal's reason as soon as it aborts. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
