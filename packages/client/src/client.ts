import { internalOperations, lifecycles, operations, type paths, restoreStateId } from "@cloud-backup/spec";
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { BackupApiError, BackupError, BackupNetworkError, BackupTimeoutError, parseRetryAfter } from "./errors.js";
import { apiRoot, type IdentityCredentials, type Region, regionBaseUrl, type Session, SessionManager } from "./identity.js";
import { abortable, backoffDelay, DEFAULT_RETRY, defaultSleep, resolveRetry, type RetryOptions, type RetryPolicy } from "./retry.js";
import type { CallOptions, OperationMethods, Schemas } from "./types.js";
import type { InternalOperationMethods } from "./internal.js";

/** The package version, sent in the default User-Agent. */
export const CLIENT_VERSION = "0.1.0";

/** A `fetch`: the global one, or anything with its shape (a Hono app's `fetch`, which may answer synchronously, fits as is). */
export type FetchLike = (input: Request, init?: RequestInit) => Response | Promise<Response>;

/** Sleeps `ms` milliseconds; must reject with `signal.reason` when the signal aborts. */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

interface CommonOptions {
  /** The `fetch` to use (default `globalThis.fetch`). Pass a Hono app's to test without a socket. */
  fetch?: FetchLike;
  /** Retry policy; `false` turns retries off. */
  retry?: RetryOptions | false;
  /** Sent as `User-Agent` (default `cloud-backup-client/0.1.0`). */
  userAgent?: string;
  /** Default per-attempt timeout in milliseconds (default 30 000; 0 for none). */
  timeoutMs?: number;
  /** How the client pauses between retries and polls (default `setTimeout`); inject one to make tests fast. */
  sleep?: SleepFn;
  /** Random numbers in [0, 1) for backoff jitter (default `Math.random`). */
  random?: () => number;
}

/** A static token: you know the account and where the API answers. */
export type TokenOptions = CommonOptions & {
  /** The `X-Auth-Token` to send. */
  token: string;
  /** The account (tenant) id. */
  tenantId: string;
  auth?: never;
} & ({ baseUrl: string; region?: never } | { region: Region; baseUrl?: never });

/**
 * Rackspace Cloud Identity: the client gets a token, the account and the endpoint, and
 * authenticates again when the token nears expiry or is refused.
 */
export type IdentityOptions = CommonOptions & {
  auth: IdentityCredentials;
  token?: never;
  /** Use this account instead of the token's. */
  tenantId?: string;
} & ({ baseUrl?: never; region?: Region } | { baseUrl: string; region?: never });

export type BackupClientOptions = TokenOptions | IdentityOptions;

/** Options of the polling helpers. */
export interface PollOptions {
  /** Give up after this long (milliseconds) with a `BackupTimeoutError`. */
  timeoutMs?: number;
  /** Pause between polls (milliseconds). */
  pollMs?: number;
  /** Cancels the wait; it then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Called between polls, before the pause. Against the reference server, pass one that
   * moves its virtual clock (`POST /__admin/clock/advance`) so a wait does not take real time.
   */
  tick?: () => void | Promise<void>;
}

type Backup = Schemas["Backup"];
type Restore = Schemas["Restore"];
type Agent = Schemas["Agent"];

/** The states a backup does not leave (the `terminal` states of the description's backup lifecycle). */
export const TERMINAL_BACKUP_STATES: ReadonlySet<Schemas["BackupState"]> = new Set(lifecycles.BackupState.terminal);
/** The `RestoreStateId`s a restore does not leave (the `terminal` states of the description's restore lifecycle). */
export const TERMINAL_RESTORE_STATES: ReadonlySet<Schemas["RestoreStateId"]> = new Set(
  lifecycles.RestoreState.terminal.map((name) => restoreStateId(name) as Schemas["RestoreStateId"]),
);

/** The name of a `RestoreStateId` (`Completed` for 3), as the description lists the restore states. */
export function restoreStateName(id: number): string | undefined {
  return lifecycles.RestoreState.states[id];
}

export interface BackupHelpers {
  /**
   * Wakes the account's agents (`wakeAgents`) and polls `getAgent` until this one reports
   * `Online`. Resolves with the agent. Defaults: `timeoutMs` 60 000, `pollMs` 2 000.
   */
  wakeAgent(agentId: number, options?: PollOptions): Promise<Agent>;
  /**
   * Polls `getBackup` until the backup reaches a terminal state ({@link TERMINAL_BACKUP_STATES})
   * and resolves with it; it does
   * not throw for Failed. `onProgress` sees every poll. Defaults: `timeoutMs` 3 600 000, `pollMs` 5 000.
   */
  waitForBackup(backupId: number, options?: PollOptions & { onProgress?: (backup: Backup) => void }): Promise<Backup>;
  /**
   * Polls `getRestore` until `RestoreStateId` is terminal ({@link TERMINAL_RESTORE_STATES}) and resolves with
   * the restore. Defaults as for `waitForBackup`.
   */
  waitForRestore(restoreId: number, options?: PollOptions & { onProgress?: (restore: Restore) => void }): Promise<Restore>;
  /** The current token, account and base URL (authenticating first with Identity). */
  session(options?: { signal?: AbortSignal }): Promise<Session>;
  /**
   * The openapi-fetch client underneath, typed by the spec's `paths`. Its middleware adds
   * `X-Auth-Token` and `User-Agent` (and resolves the endpoint with Identity); it does not
   * retry or throw: you get `{ data, error, response }`. Pass `tenant_id` yourself.
   */
  readonly raw: Client<paths>;
  /**
   * **Internal endpoints**, outside the published reference (`openapi/internal.yaml`): the
   * calls the service's own clients make for an agent's log level, configuration, busy flag,
   * log uploads and events, and for cleanup reports. Same auth, retries and errors as the
   * operations; rely on them only where the official clients did.
   */
  readonly internal: InternalOperationMethods;
}

/** The client: one method per operation, plus helpers. */
export type BackupClient = OperationMethods & BackupHelpers;

/** The base URL the raw client is built with; middleware swaps in the session's. */
const PLACEHOLDER_ORIGIN = "https://cloud-backup-endpoint.invalid";
const IDEMPOTENT = new Set(["GET", "PUT", "DELETE", "HEAD", "OPTIONS"]);
const START_OPERATIONS = new Set<string>(["requestBackupAction", "requestRestoreAction"]);
const REFRESH_MARGIN_MS = 5 * 60_000;

type OperationRow = (typeof operations)[number];

/**
 * Creates a Cloud Backup client.
 *
 * @example
 * ```ts
 * const client = createBackupClient({ region: "dfw", token: process.env.RAX_TOKEN!, tenantId: "1234" });
 * const agents = await client.listAgents();
 * const agent = await client.getAgent({ machineAgentId: agents[0]!.MachineAgentId });
 * ```
 */
export function createBackupClient(options: BackupClientOptions): BackupClient {
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const userAgent = options.userAgent ?? `cloud-backup-client/${CLIENT_VERSION}`;
  const sleep: SleepFn = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const retryPolicy = resolveRetry(DEFAULT_RETRY, options.retry);
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  const fetchOne = async (request: Request): Promise<Response> => baseFetch(request);

  let sessions: SessionManager;
  if (options.auth) {
    sessions = new SessionManager({
      kind: "identity",
      credentials: options.auth,
      region: options.region,
      baseUrl: options.baseUrl === undefined ? undefined : apiRoot(options.baseUrl),
      tenantId: options.tenantId,
      fetch: fetchOne,
      userAgent,
      timeoutMs: defaultTimeoutMs,
      refreshMarginMs: REFRESH_MARGIN_MS,
    });
  } else {
    const { token, tenantId } = options as TokenOptions;
    if (typeof token !== "string" || !token) throw new TypeError("createBackupClient needs `token` or `auth`.");
    if (typeof tenantId !== "string" || !tenantId) throw new TypeError("createBackupClient needs `tenantId` with a static token.");
    const baseUrl =
      options.baseUrl !== undefined ? apiRoot(options.baseUrl) : options.region !== undefined ? regionBaseUrl(options.region) : undefined;
    if (baseUrl === undefined) throw new TypeError("createBackupClient needs `baseUrl` or `region` with a static token.");
    sessions = new SessionManager({ kind: "static", session: { token, tenantId, baseUrl, expiresAt: undefined } });
  }

  const raw = createClient<paths>({ baseUrl: PLACEHOLDER_ORIGIN, fetch: fetchOne });
  const authMiddleware: Middleware = {
    async onRequest({ request }) {
      const headers = new Headers(request.headers);
      if (!headers.has("User-Agent")) headers.set("User-Agent", userAgent);
      let url = request.url;
      // Operation methods send the session's token and base URL already; raw calls get them here.
      if (url.startsWith(PLACEHOLDER_ORIGIN) || !headers.has("X-Auth-Token")) {
        const session = await sessions.get(request.signal);
        if (!headers.has("X-Auth-Token")) headers.set("X-Auth-Token", session.token);
        if (url.startsWith(PLACEHOLDER_ORIGIN)) url = session.baseUrl + url.slice(PLACEHOLDER_ORIGIN.length);
      }
      const body = request.body === null ? undefined : await request.arrayBuffer();
      return new Request(url, { method: request.method, headers, body, signal: request.signal, redirect: request.redirect });
    },
    onResponse({ request, response }) {
      // A refused token is forgotten, so the next call (raw or not) authenticates again.
      if (response.status === 401) sessions.invalidate(request.headers.get("X-Auth-Token") ?? "");
    },
  };
  raw.use(authMiddleware);

  /** One HTTP attempt: resolves with the success body or throws a BackupError. */
  async function attempt(op: OperationRow, pathParams: Record<string, unknown>, body: unknown, call: CallOptions): Promise<unknown> {
    const timeoutMs = call.timeoutMs ?? defaultTimeoutMs;
    const timeout = new AbortController();
    const timer =
      timeoutMs > 0
        ? setTimeout(
            () =>
              timeout.abort(
                new BackupTimeoutError(`${op.operationId} took longer than ${timeoutMs} ms`, { timeoutMs, operationId: op.operationId }),
              ),
            timeoutMs,
          )
        : undefined;
    const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal;
    let url: string = op.path;
    const aborted = () =>
      timeout.signal.aborted ? (timeout.signal.reason as BackupTimeoutError) : call.signal?.aborted ? call.signal.reason : undefined;
    try {
      const session = await sessions.get(signal);
      const result = await raw.request(
        op.method.toLowerCase() as "get",
        op.path as "/v1.0/{tenant_id}/user/agents",
        {
          baseUrl: session.baseUrl,
          params: { path: { tenant_id: session.tenantId, ...pathParams } },
          body: body as never,
          signal,
          headers: { ...call.headers, "X-Auth-Token": session.token },
          fetch: async (request: Request) => {
            url = request.url;
            try {
              return await abortable(fetchOne(request), signal);
            } catch (error) {
              throw aborted() ?? new BackupNetworkError({ operationId: op.operationId, method: op.method, url: request.url, cause: error });
            }
          },
        } as never,
      );
      const { response } = result;
      // Any 2xx is a success, even one the operation does not document.
      if (response.ok) return result.data;
      throw new BackupApiError({
        operationId: op.operationId,
        status: response.status,
        method: op.method,
        url,
        body: result.error,
        requestId: response.headers.get("x-request-id") ?? undefined,
        retryAfter: parseRetryAfter(response.headers.get("retry-after")),
      });
    } catch (error) {
      const reason = aborted();
      if (reason !== undefined) throw reason;
      if (error instanceof BackupError) throw error;
      // Reading the answer failed (a body that is not JSON, a connection cut mid-body).
      throw new BackupNetworkError({ operationId: op.operationId, method: op.method, url, cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** A call with the retry policy applied. */
  async function invoke(op: OperationRow, args: Record<string, unknown> | undefined): Promise<unknown> {
    const { body, timeoutMs, signal, retry, headers, ...pathParams } = (args ?? {}) as Record<string, unknown> &
      CallOptions & { body?: unknown };
    for (const name of pathParamNames(op.path)) {
      if (name !== "tenant_id" && (pathParams[name] === undefined || pathParams[name] === null)) {
        throw new TypeError(`${op.operationId} needs the path parameter ${name}`);
      }
    }
    const policy: RetryPolicy = resolveRetry(retryPolicy, retry);
    const idempotent = IDEMPOTENT.has(op.method);
    const isStart = START_OPERATIONS.has(op.operationId) && (body as { Action?: unknown } | undefined)?.Action === "StartManual";
    const call: CallOptions = { timeoutMs, signal, headers };
    let retries = 0;
    let startRetries = 0;
    let reauthenticated = false;
    for (;;) {
      signal?.throwIfAborted();
      /** The pause before the next attempt; `undefined` to send it at once (after re-authenticating). */
      let delay: number | undefined;
      try {
        const result = await attempt(op, pathParams, body, call);
        if (isStart && op.operationId === "requestBackupAction" && typeof result !== "number") {
          throw new BackupError(`requestBackupAction answered ${JSON.stringify(result)} to StartManual instead of a backup id`, {
            operationId: op.operationId,
          });
        }
        return result;
      } catch (error) {
        if (
          error instanceof BackupApiError &&
          error.status === 401 &&
          sessions.usesIdentity &&
          !reauthenticated &&
          error.operationId !== "authenticate"
        ) {
          reauthenticated = true;
          delay = undefined;
        } else if (error instanceof BackupApiError && error.status === 503 && idempotent && retries < policy.retries) {
          if (error.retryAfter !== undefined) {
            if (error.retryAfter * 1000 > policy.maxRetryAfterMs) throw error;
            delay = error.retryAfter * 1000;
          } else {
            delay = backoffDelay(policy, retries, random);
          }
          retries++;
        } else if (error instanceof BackupApiError && error.status === 403 && isStart && startRetries < policy.startRetries) {
          delay = policy.startDelayMs;
          startRetries++;
        } else if (error instanceof BackupNetworkError && idempotent && retries < policy.retries) {
          delay = backoffDelay(policy, retries, random);
          retries++;
        } else {
          throw error;
        }
      }
      if (delay !== undefined) await sleep(delay, signal);
    }
  }

  const methods: Record<string, (args?: Record<string, unknown>) => Promise<unknown>> = {};
  for (const op of operations) {
    methods[op.operationId] = (args) => invoke(op, args);
  }
  const call = methods as unknown as OperationMethods;
  const internal: Record<string, (args?: Record<string, unknown>) => Promise<unknown>> = {};
  for (const op of internalOperations) internal[op.operationId] = (args) => invoke(op as unknown as OperationRow, args);

  async function poll<T>(
    what: string,
    read: () => Promise<T>,
    done: (value: T) => boolean,
    options: PollOptions & { onProgress?: (value: T) => void },
    defaults: { timeoutMs: number; pollMs: number },
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    const pollMs = options.pollMs ?? defaults.pollMs;
    const started = Date.now();
    let slept = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const value = await read();
      options.onProgress?.(value);
      if (done(value)) return value;
      // Time spent counts wall time and the pauses asked for, so that a limit holds with an injected sleep too.
      const elapsed = Math.max(Date.now() - started, slept);
      if (elapsed >= timeoutMs) throw new BackupTimeoutError(`${what} within ${timeoutMs} ms`, { timeoutMs });
      await options.tick?.();
      const pause = Math.min(pollMs, timeoutMs - elapsed);
      await sleep(pause, options.signal);
      slept += pause;
    }
  }

  const helpers: BackupHelpers = {
    raw,
    internal: internal as unknown as InternalOperationMethods,
    session: (opts = {}) => sessions.get(opts.signal),
    async wakeAgent(agentId, opts = {}) {
      await call.wakeAgents({ signal: opts.signal });
      return poll(
        `agent ${agentId} did not come online`,
        () => call.getAgent({ machineAgentId: agentId, signal: opts.signal }),
        (agent) => agent.Status === "Online",
        opts,
        { timeoutMs: 60_000, pollMs: 2_000 },
      );
    },
    waitForBackup(backupId, opts = {}) {
      return poll(
        `backup ${backupId} did not finish`,
        () => call.getBackup({ backupId, signal: opts.signal }),
        (backup) => TERMINAL_BACKUP_STATES.has(backup.CurrentState),
        opts,
        { timeoutMs: 3_600_000, pollMs: 5_000 },
      );
    },
    waitForRestore(restoreId, opts = {}) {
      return poll(
        `restore ${restoreId} did not finish`,
        () => call.getRestore({ restoreId, signal: opts.signal }),
        (restore) => TERMINAL_RESTORE_STATES.has(restore.RestoreStateId),
        opts,
        { timeoutMs: 3_600_000, pollMs: 5_000 },
      );
    },
  };

  return { ...methods, ...helpers } as unknown as BackupClient;
}

function pathParamNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}
