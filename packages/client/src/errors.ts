import type { components } from "@cloud-backup/spec";

/** An error answer of the Cloud Backup API: RFC 9457 problem details. */
export type Problem = components["schemas"]["Problem"];

/** The base class of every error this client throws; catch it to catch them all. */
export class BackupError extends Error {
  /** The operation that failed (`authenticate` for Identity), when there was one. */
  readonly operationId: string | undefined;

  constructor(message: string, options: { operationId?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BackupError";
    this.operationId = options.operationId;
  }
}

/**
 * The server answered with a status that is not a success of the operation (after any
 * retries). `problem` is the parsed RFC 9457 body when the answer had one.
 *
 * @example
 * ```ts
 * try {
 *   await client.getAgent({ machineAgentId: 1 });
 * } catch (error) {
 *   if (error instanceof BackupApiError && error.status === 404) console.log(error.problem?.detail, error.requestId);
 * }
 * ```
 */
export class BackupApiError extends BackupError {
  declare readonly operationId: string;
  /** The HTTP status. */
  readonly status: number;
  /** The HTTP method and URL of the request. */
  readonly method: string;
  readonly url: string;
  /** The parsed problem details, when the body was `application/problem+json` (or looked like it). */
  readonly problem: Problem | undefined;
  /** The body as received: parsed JSON, text, or `undefined` when empty. */
  readonly body: unknown;
  /** The `X-Request-Id` of the answer, to quote when reporting a problem. */
  readonly requestId: string | undefined;
  /** `Retry-After` in seconds, when the answer carried one. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    operationId: string;
    status: number;
    method: string;
    url: string;
    body: unknown;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
    message?: string;
  }) {
    const problem = isProblem(init.body) ? init.body : undefined;
    const what = problem?.detail ?? problem?.title ?? (typeof init.body === "string" && init.body ? init.body.slice(0, 200) : undefined);
    super(init.message ?? `${init.operationId} answered ${init.status}${what ? `: ${what}` : ""}`, { operationId: init.operationId });
    this.name = "BackupApiError";
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
    this.problem = problem;
    this.requestId = init.requestId ?? problem?.requestId;
    this.retryAfter = init.retryAfter;
  }
}

/** The request never got an answer: DNS failure, refused or dropped connection, TLS error. */
export class BackupNetworkError extends BackupError {
  readonly method: string;
  readonly url: string;

  constructor(init: { operationId?: string; method: string; url: string; cause: unknown }) {
    const reason =
      init.cause instanceof Error
        ? init.cause.cause instanceof Error
          ? `${init.cause.message} (${init.cause.cause.message})`
          : init.cause.message
        : String(init.cause);
    super(`${init.method} ${init.url} failed: ${reason}`, { operationId: init.operationId, cause: init.cause });
    this.name = "BackupNetworkError";
    this.method = init.method;
    this.url = init.url;
  }
}

/** A request (`timeoutMs`) or a wait (`wakeAgent`, `waitForBackup`, `waitForRestore`) took too long. */
export class BackupTimeoutError extends BackupError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  constructor(message: string, init: { timeoutMs: number; operationId?: string }) {
    super(message, { operationId: init.operationId });
    this.name = "BackupTimeoutError";
    this.timeoutMs = init.timeoutMs;
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { title?: unknown }).title === "string" &&
    typeof (value as { status?: unknown }).status === "number"
  );
}

/** Reads `Retry-After` (delay-seconds or an HTTP date) as seconds; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
