import { document, internalOperations, specHash, specVersion } from "@cloud-backup/spec";
import { type Context, Hono } from "hono";
import { VirtualClock } from "./clock.js";
import { ApiError, problemResponse as toProblemResponse } from "./problem.js";
import { toHonoPath, withoutTenant } from "./routing.js";
import { FaultRegistry, mountAdmin } from "./admin.js";
import type { Command, WorldStore } from "./world-store.js";
import { Persistence, resumeTime } from "./persistence.js";
import { type DocsFiles, mountDocs } from "./docs-route.js";
import { randomUUID } from "./random.js";
import { AnswerCache } from "./answer-cache.js";
import { mountIdentity } from "./identity.js";
import { ABORTED, clientAborted, limitBodies, parseJson, readText } from "./limits.js";
import { type AllowedHosts, guard, pathForLog } from "./guard.js";
import { identityRefusal } from "./identity.js";
import { methodNotAllowed, mountCors, refuseCrossOriginAdmin } from "./http-conventions.js";
import { type SeedOptions, seedWorld } from "./world/seed.js";
import { World } from "./world/world.js";
import { mountInternal } from "./internal/mount.js";
import { answerError } from "./pipeline/errors.js";
import { chain } from "./pipeline/chain.js";
import { fastRead } from "./fast-read.js";
import * as step from "./pipeline/middleware.js";
import { type PipelineDeps, type PipelineEnv, RESET_HEADER, RESET_STATUS } from "./pipeline/middleware.js";
import { compiledOperations } from "./pipeline/operations.js";

/** The roles that may call an internal endpoint: its security scopes in openapi/internal.yaml. */
const internalRoles = (operationId: string): readonly string[] =>
  internalOperations.find((op) => op.operationId === operationId)?.roles ?? [];

/** Read answers kept for reuse while they hold (see answer-cache.ts). */
const ANSWER_CACHE_ENTRIES = 256;
/** At most this many bytes of answers are kept in all. */
const ANSWER_CACHE_MAX_BYTES = 64 * 1024 * 1024;

export { MAX_BODY_BYTES, MAX_DEPTH } from "./limits.js";

export interface ServerOptions {
  /** The world to start from: the built-in demo world (default), an empty one, or a custom seed. */
  seed?: SeedOptions;
  /** Virtual clock start (epoch ms, default: now) and speed (virtual seconds per real second, default 1). */
  clock?: { start?: number; speed?: number };
  /** When set, the control API (`/__admin`) requires this value in `X-Admin-Token`. */
  adminToken?: string;
  /** Receives one line per request. Tokens are never written. */
  log?: (line: string) => void;
  /**
   * Keep the world in this store (replayed at start, each change committed before its answer);
   * without it the world lives in memory. `@cloud-backup/server/node` opens a SQLite one from `data`.
   */
  store?: WorldStore;
  /** With a store: write a snapshot after this many commands (default 5000). */
  snapshotEvery?: number;
  /**
   * Refuse requests over a socket whose `Host` is not one of these (403 with a problem body):
   * `"loopback"` accepts only loopback names and addresses, which stops DNS rebinding when the
   * server listens on a loopback address. In-process calls (`app.request`) are never checked.
   */
  allowedHosts?: AllowedHosts;
  /**
   * The address clients reach the server at, named in Identity's service catalog (a function is
   * asked on each call). Default: the local address and port the request arrived on (in-process,
   * the origin of the request's URL); never the `Host` header.
   */
  publicUrl?: string | (() => string | undefined);
  /** Serves a built docs site at `/docs/`; unset, `/docs` answers 404 with a hint. `@cloud-backup/server/node` serves a folder from `docsDir`. */
  docs?: DocsFiles;
  /**
   * Origins whose pages may call the API from a browser (CORS), or `["*"]` for any; unset,
   * no CORS. The control API never answers other origins.
   */
  cors?: readonly string[];
}

export interface CloudBackupServer extends Hono {
  /** The simulated world (tenants, agents, configurations, backups, restores). */
  readonly world: World;
  /** The virtual clock. */
  readonly clock: VirtualClock;
  /** Puts the world back to its seed. */
  reset(): void;
  /** Writes a final snapshot and closes the data file (no-op in memory). */
  close(): void;
}

function problemResponse(c: Context, error: ApiError, requestId: string): Response {
  return toProblemResponse(error, c.req.path, requestId);
}

/**
 * Creates the reference server: a Hono app that simulates the Cloud Backup API, its control
 * API under `/__admin` and a minimal Identity endpoint. Use it in-process (`app.request`,
 * or `fetch: app.fetch` in a client) or serve it with `@hono/node-server`.
 *
 * @example
 * ```ts
 * const app = createServer({ clock: { speed: 0 } });
 * const res = await app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
 * ```
 */
export function createServer(options: ServerOptions = {}): CloudBackupServer {
  const operations = compiledOperations();
  const world = new World();
  const seed = options.seed ?? "default";
  const store = options.store;
  const speed = options.clock?.speed ?? 1;
  // After a restart the virtual clock resumes at or after the last time it showed.
  let start = options.clock?.start;
  try {
    if (store) start = resumeTime(store, start, speed);
  } catch (error) {
    store?.close();
    throw error;
  }
  const clock = new VirtualClock({ start, speed });
  const log = options.log ?? (() => {});
  const persistence = new Persistence({ store, world, clock, seed, snapshotEvery: options.snapshotEvery ?? 5000, log });
  persistence.load();
  const persist = (command: Command) => persistence.persist(command);

  const answers = new AnswerCache(ANSWER_CACHE_ENTRIES, ANSWER_CACHE_MAX_BYTES);
  const app = new Hono() as unknown as CloudBackupServer;
  Object.defineProperties(app, {
    world: { value: world },
    clock: { value: clock },
    reset: {
      value: () => {
        world.clear();
        seedWorld(world, seed, clock.now());
      },
    },
    close: { value: () => persistence.close() },
  });

  if (store) {
    // A restart resumes the clock at or after any time an answer showed.
    app.use(async (c, next) => {
      try {
        persistence.markClock(true);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        // Identity answers its own error bodies.
        if (c.req.path.startsWith("/v2.0/"))
          return c.json({ serviceUnavailable: { code: 503, message: error.detail } }, 503, error.headers);
        return problemResponse(c, error, c.req.header("x-request-id") ?? randomUUID());
      }
      await next();
      persistence.markClock(false);
    });
  }

  const isToken = (segment: string) => world.tokens.has(segment) || segment === options.adminToken;
  /** One line of the request log (written by the middleware below and by kept reads answered before routing). */
  const logRequest = (method: string, path: string, operationId: string, outcome: string, started: number) =>
    log(`${method} ${pathForLog(path, isToken)} ${operationId} ${outcome} ${(performance.now() - started).toFixed(1)}ms`);
  if (options.log) {
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      const op = (c.get as (key: string) => unknown)("operationId") ?? "-";
      const outcome = (c.get as (key: string) => unknown)(ABORTED) ? "aborted by the client" : String(c.res.status);
      logRequest(c.req.method, c.req.path, String(op), outcome, started);
    });
  }
  // Every route: the Host check and security headers, then the byte limit while reading.
  const refuse = (c: Context, error: ApiError) =>
    c.req.path === "/v2.0/tokens" ? identityRefusal(c, error) : problemResponse(c, error, c.req.header("x-request-id") ?? randomUUID());
  app.use(guard({ allowedHosts: options.allowedHosts, refuse }));
  app.use(limitBodies(refuse));

  const faults = new FaultRegistry();
  mountCors(app, options.cors);
  refuseCrossOriginAdmin(app);
  mountAdmin(app, { world, clock, faults, adminToken: options.adminToken, reset: () => app.reset(), persist });
  mountIdentity(app, { world, clock, publicUrl: options.publicUrl, readJson: async (c) => parseJson(await readText(c)), persist });
  // Internal endpoints: the roles each may be called by are its security scopes in openapi/internal.yaml.
  mountInternal(app, { world, clock, persist, roleAllows: (role, _method, operationId) => internalRoles(operationId).includes(role) });

  // The API's operations, each through the named steps of the pipeline (see pipeline/middleware.ts).
  const deps: PipelineDeps = { world, clock, persistence, answers, faults };
  const api = new Hono<PipelineEnv>();
  const onOperationError = answerError(log);
  api.onError(onOperationError);
  for (const tenantForm of [true, false]) {
    for (const op of operations) {
      const template = tenantForm ? op.path : withoutTenant(op.path);
      // One route per operation: the steps are chained into one handler (see pipeline/chain.ts).
      api.on(
        op.method,
        toHonoPath(template),
        chain(
          [
            step.start(op),
            step.auth(deps),
            step.answerCache(deps),
            step.tenant(world, tenantForm),
            step.role,
            step.body,
            step.prefer,
            step.faults(deps),
            step.operate(deps),
          ],
          onOperationError,
        ),
      );
    }
  }
  app.route("/", api);

  // Kept reads are answered before routing (see fast-read.ts); everything else goes through Hono.
  const kept = fastRead({
    world,
    clock,
    answers,
    faults,
    persistence,
    allowedHosts: options.allowedHosts,
    cors: Boolean(options.cors?.length),
    logRequest: options.log
      ? (method, path, operationId, status, started) => logRequest(method, path, operationId, String(status), started)
      : undefined,
  });
  // In-process callers have no socket to drop: `Prefer: fault=reset` rejects their fetch instead.
  const honoFetch = app.fetch.bind(app);
  (app as { fetch: typeof app.fetch }).fetch = async (request, env, executionContext) => {
    const fast = kept(request, env);
    if (fast) return fast;
    const response = await honoFetch(request, env, executionContext);
    // The status first: reading `headers` of every answer would take the Node adapter's slower path.
    if (response.status === RESET_STATUS && response.headers.get(RESET_HEADER))
      throw new TypeError("fetch failed: connection reset (Prefer: fault=reset)");
    return response;
  };

  app.get("/openapi.json", (c) => c.json(document as object));
  mountDocs(app, options.docs);
  app.notFound(
    (c) =>
      methodNotAllowed(c) ??
      problemResponse(
        c,
        new ApiError(404, `No operation answers ${c.req.method} ${new URL(c.req.url).pathname}.`),
        c.req.header("x-request-id") ?? randomUUID(),
      ),
  );
  app.onError((error, c) => {
    const requestId = c.req.header("x-request-id") ?? randomUUID();
    // Hono hands errors thrown by handlers (the control API throws ApiError) to onError, not to middleware.
    if (error instanceof ApiError) return problemResponse(c, error, requestId);
    if (clientAborted(c)) {
      (c.set as (key: string, value: unknown) => void)(ABORTED, true);
      return problemResponse(c, new ApiError(400, "The client closed the connection before sending the whole body."), requestId);
    }
    log(`internal error: ${error.stack ?? String(error)}`);
    return problemResponse(c, new ApiError(500, "The reference server failed while handling the request."), requestId);
  });
  return app;
}

export { specHash, specVersion };
