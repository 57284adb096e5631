import { resolvePointer } from "@cloud-backup/spec/validate";
import { document, internalOperations, operations as operationTable, specHash, specVersion } from "@cloud-backup/spec";
import type { ValidateFunction } from "ajv";
import { type Context, Hono } from "hono";
import { VirtualClock } from "./clock.js";
import { routes } from "./routing.js";
import type { OperationName } from "./handler-types.js";
import { handlers } from "./handlers.js";
import { ApiError, problemResponse as toProblemResponse } from "./problem.js";
import { toHonoPath, withoutTenant } from "./routing.js";
import { compileAt, createAjv, pointerOf, toProblemFields } from "./validation.js";
import { FaultRegistry, mountAdmin } from "./admin.js";
import type { Command, WorldStore } from "./world-store.js";
import { Persistence, resumeTime } from "./persistence.js";
import { type DocsFiles, mountDocs } from "./docs-route.js";
import { randomUUID } from "./random.js";
import { parsePrefer } from "./prefer.js";
import { AnswerCache } from "./answer-cache.js";
import { answerRead, serveKept } from "./read-path.js";
import { mountIdentity } from "./identity.js";
import { ABORTED, clientAborted, limitBodies, parseJson, readText, stripUndeclared, tooDeep, tooDeepError } from "./limits.js";
import { type AllowedHosts, guard, pathForLog } from "./guard.js";
import { identityRefusal } from "./identity.js";
import { methodNotAllowed, mountCors, preferenceApplied, preferIgnored, refuseCrossOriginAdmin, withPreferenceApplied } from "./http-conventions.js";
import { type SeedOptions, seedWorld } from "./world/seed.js";
import { World } from "./world/world.js";
import { canonicalNames, carryRenames, forgivingFieldNames } from "./fidelity/field-names.js";
import { answerStatus, checkMediaType } from "./fidelity/media-types.js";
import { mountInternal } from "./internal/mount.js";

/** The roles that may call an internal endpoint: its security scopes in openapi/internal.yaml. */
const internalRoles = (operationId: string): readonly string[] => internalOperations.find((op) => op.operationId === operationId)?.roles ?? [];

/** Read answers kept for reuse while they hold (see answer-cache.ts). */
const ANSWER_CACHE_ENTRIES = 256;
/** At most this many bytes of answers are kept in all. */
const ANSWER_CACHE_MAX_BYTES = 64 * 1024 * 1024;

export { MAX_BODY_BYTES, MAX_DEPTH } from "./limits.js";

/** Marks an answer whose connection was dropped on purpose (`Prefer: fault=reset`). */
const RESET_HEADER = "x-cloud-backup-reset";

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

interface CompiledOperation {
  operationId: OperationName;
  method: string;
  path: string;
  params: ValidateFunction;
  /** Path parameters typed integer: parsed from strict decimal digits before validation. */
  integerParams: string[];
  bodies: Map<string, ValidateFunction>;
  /** The request body schema of each media type (refs into the description), for stripping undeclared fields. */
  schemas: Map<string, unknown>;
  formBody?: ValidateFunction;
  /** Form fields typed integer: parsed from strict decimal digits before validation. */
  formIntegers: string[];
  bodyRequired: boolean;
  hasTenant: boolean;
  /** The last path parameter other than the tenant, if any. */
  lastParam?: string;
  /** Every documented status of the operation. */
  statuses: Set<number>;
  /** The roles that may call it: its security requirement's scopes in the description. */
  roles: ReadonlySet<string>;
  /** Named examples of its success answers, for `Prefer: example=`. */
  examples: Map<string, { status: number; mediaType: string; value: unknown }>;
}

/** A validator compiled on first use (start-up stays fast; each is still compiled once). */
function lazy(make: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => (compiled ??= make())(data)) as ValidateFunction;
  Object.defineProperty(validate, "errors", { get: () => compiled?.errors });
  return validate;
}

function compileOperations(): CompiledOperation[] {
  const doc = document as unknown as { paths: Record<string, Record<string, any>> };
  const ajv = createAjv(doc, { trusted: true });
  return routes.map((route) => {
    const item = doc.paths[route.path]!;
    const op = item[route.method.toLowerCase()]!;
    const resolveParam = (p: any) => (p.$ref ? resolvePointer(doc, p.$ref) : p);
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolveParam).filter((p: any) => p.in === "path");
    const paramSchema = {
      type: "object",
      required: params.map((p: any) => p.name),
      properties: Object.fromEntries(params.map((p: any) => [p.name, resolveRefs(doc, p.schema)])),
    };
    const bodies = new Map<string, ValidateFunction>();
    let formBody: ValidateFunction | undefined;
    let formIntegers: string[] = [];
    for (const mediaType of Object.keys(op.requestBody?.content ?? {})) {
      const pointer = pointerOf("paths", route.path, route.method.toLowerCase(), "requestBody", "content", mediaType, "schema");
      if (mediaType === "application/x-www-form-urlencoded") {
        // No type coercion (ajv would read "0x10" or " 6" as numbers): integers are parsed strictly in readBody.
        formBody = lazy(() => compileAt(ajv, pointer));
        const schema = resolveRefs(doc, op.requestBody.content[mediaType].schema);
        formIntegers = Object.entries<any>(schema?.properties ?? {}).filter(([, s]) => s?.type === "integer").map(([name]) => name);
      }
      else bodies.set(mediaType, forgivingFieldNames(doc, op.requestBody.content[mediaType].schema, lazy(() => compileAt(ajv, pointer))));
    }
    return {
      operationId: route.operationId,
      method: route.method,
      path: route.path,
      // No type coercion here: ajv would read "1e3", "0x10" or " 5" as numbers.
      params: lazy(() => ajv.compile(paramSchema)),
      integerParams: Object.entries(paramSchema.properties)
        .filter(([, schema]: [string, any]) => schema?.type === "integer")
        .map(([name]) => name),
      bodies,
      schemas: new Map(Object.entries<any>(op.requestBody?.content ?? {}).map(([mediaType, media]) => [mediaType, media.schema])),
      formBody,
      formIntegers,
      bodyRequired: Boolean(op.requestBody?.required),
      statuses: new Set(Object.keys(op.responses).map(Number)),
      roles: new Set<string>(operationTable.find((row) => row.operationId === route.operationId)?.roles ?? []),
      examples: new Map(
        Object.entries<any>(op.responses).flatMap(([status, res]) =>
          Object.entries<any>(res.content ?? {}).flatMap(([mediaType, media]) =>
            Object.entries<any>(media.examples ?? {}).map(([name, ex]) => [name, { status: Number(status), mediaType, value: ex.value }] as const),
          ),
        ),
      ),
      hasTenant: route.path.includes("{tenant_id}"),
      lastParam: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((name) => name !== "tenant_id").at(-1),
    };
  });
}

/** Inlines `$ref`s of a small schema (path parameter schemas). */
function resolveRefs(doc: unknown, schema: any): any {
  if (!schema || typeof schema !== "object") return schema;
  if (schema.$ref) return resolveRefs(doc, resolvePointer(doc, schema.$ref));
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(doc, s));
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolveRefs(doc, v)]));
}

const compiled = { value: undefined as CompiledOperation[] | undefined };

function problemResponse(c: Context, error: ApiError, requestId: string): Response {
  return toProblemResponse(error, c.req.path, requestId);
}

async function readBody(c: Context, op: CompiledOperation): Promise<unknown> {
  const raw = await readText(c);
  if (tooDeep(raw)) throw tooDeepError();
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (raw.trim() === "") {
    if (op.bodyRequired) throw new ApiError(400, "The request needs a body.", [{ in: "body", pointer: "", message: "is required" }]);
    return undefined;
  }
  if (contentType === "application/x-www-form-urlencoded" && op.formBody) {
    const value: Record<string, string | number> = {};
    for (const [k, v] of new URLSearchParams(raw)) value[k] = op.formIntegers.includes(k) && /^-?[0-9]+$/.test(v) ? Number(v) : v;
    if (!op.formBody(value)) {
      throw new ApiError(400, "The form body is invalid.", toProblemFields(op.formBody.errors, "body"));
    }
    return stripUndeclared(document, op.schemas.get("application/x-www-form-urlencoded"), value);
  }
  checkMediaType(contentType, { json: op.bodies.has("application/json"), form: Boolean(op.formBody) });
  const value = parseJson(raw, true);
  const validate = op.bodies.get("application/json");
  if (validate && !validate(value)) {
    const frequency = value && typeof value === "object" ? (value as Record<string, unknown>).Frequency : undefined;
    const fields = toProblemFields(validate.errors, "body", { frequency });
    throw new ApiError(400, fields.length === 1 ? `${fields[0]!.pointer || "The body"} ${fields[0]!.message}.` : `The body has ${fields.length} problems.`, fields);
  }
  // Only what the operation declares is applied and persisted (and the answer still names the fields renamed).
  return carryRenames(value, stripUndeclared(document, op.schemas.get("application/json"), value));
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
  compiled.value ??= compileOperations();
  const operations = compiled.value;
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
        if (c.req.path.startsWith("/v2.0/")) return c.json({ serviceUnavailable: { code: 503, message: error.detail } }, 503, error.headers);
        return problemResponse(c, error, c.req.header("x-request-id") ?? randomUUID());
      }
      await next();
      persistence.markClock(false);
    });
  }

  if (options.log) {
    const isToken = (segment: string) => world.tokens.has(segment) || segment === options.adminToken;
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      const op = (c.get as (key: string) => unknown)("operationId") ?? "-";
      const outcome = (c.get as (key: string) => unknown)(ABORTED) ? "aborted by the client" : String(c.res.status);
      log(`${c.req.method} ${pathForLog(c.req.path, isToken)} ${String(op)} ${outcome} ${(performance.now() - started).toFixed(1)}ms`);
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

  const handle = (op: CompiledOperation, tenantInPath: boolean) => {
    const inner = answer(op, tenantInPath);
    return async (c: Context) => withPreferenceApplied(c, await inner(c));
  };
  const answer = (op: CompiledOperation, tenantInPath: boolean) => async (c: Context) => {
    const requestId = c.req.header("x-request-id") ?? randomUUID();
    (c.set as (key: string, value: unknown) => void)("operationId", op.operationId);
    try {
      persistence.assertUsable();
      const token = c.req.header("x-auth-token");
      if (!token) throw new ApiError(401, "Send a token in the X-Auth-Token header.", [{ in: "header", name: "X-Auth-Token", message: "is required" }]);
      const grant = world.tokens.get(token);
      const unknownToken = () =>
        new ApiError(401, "The token is unknown or expired; authenticate again.", [{ in: "header", name: "X-Auth-Token", message: "is not a valid token" }]);
      if (!grant || (grant.expires !== undefined && grant.expires <= clock.now())) throw unknownToken();
      // A read answered before for this account and path, while it still holds, is written again as it was
      // (it passed validation and the role check then; the same path passes them now).
      const readKey = op.method === "GET" ? `${grant.tenantId} ${c.req.path}` : "";
      if (readKey && faults.faults.length === 0 && c.req.header("prefer") === undefined) {
        const kept = serveKept(c, answers, readKey, world.revisionOf(grant.tenantId), clock.now(), requestId);
        if (kept) return kept;
      }
      const rawParams: Record<string, string> = c.req.param() as Record<string, string>;
      const params: Record<string, unknown> = { ...rawParams };
      if (!tenantInPath) params.tenant_id = grant.tenantId;
      for (const name of op.integerParams) {
        const raw = params[name];
        if (typeof raw === "string" && /^-?[0-9]+$/.test(raw)) params[name] = Number(raw);
      }
      if (!op.params(params)) {
        const fields = toProblemFields(op.params.errors, "path");
        throw new ApiError(400, `The path has ${fields.length === 1 ? "a problem" : `${fields.length} problems`}: ${fields.map((f) => `${f.name} ${f.message}`).join("; ")}.`, fields);
      }
      if (params.tenant_id !== grant.tenantId) {
        throw new ApiError(403, `This token may not act on account ${String(params.tenant_id)}.`, [{ in: "path", name: "tenant_id", message: "is not the token's account" }]);
      }
      if (!world.tenants.has(grant.tenantId)) throw new ApiError(401, "The token's account no longer exists.");
      if (!op.roles.has(grant.role)) {
        throw new ApiError(403, `The role ${grant.role} may not call ${op.operationId}.`, [
          { in: "header", name: "X-Auth-Token", message: `has the role ${grant.role}, which may not call ${op.operationId}` },
        ]);
      }
      const body = op.bodies.size || op.formBody ? await readBody(c, op) : undefined;
      const prefer = parsePrefer(c.req.header("prefer"));
      if (prefer.latency) {
        await new Promise((resolve) => setTimeout(resolve, prefer.latency));
        preferenceApplied(c, `latency=${prefer.latency}`);
      }
      if (prefer.reset) {
        const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
        if (socket) socket.destroy();
        return new Response(null, { status: 599, headers: { [RESET_HEADER]: "1" } });
      }
      if (prefer.code && !op.statuses.has(prefer.code)) preferIgnored(c, prefer.code, op.operationId, op.statuses);
      if (prefer.code && prefer.code >= 400 && op.statuses.has(prefer.code)) {
        preferenceApplied(c, `code=${prefer.code}`);
        throw new ApiError(prefer.code, `Answered ${prefer.code} as asked by Prefer: code=${prefer.code}.`, [{ in: "header", name: "Prefer", message: `asks for code=${prefer.code}` }], prefer.code === 503 ? { "retry-after": "1" } : {});
      }
      if (prefer.example) {
        const example = op.examples.get(prefer.example);
        if (example) {
          preferenceApplied(c, `example=${prefer.example}`);
          return new Response(example.mediaType === "text/plain" ? String(example.value) : JSON.stringify(example.value), {
            status: example.status,
            headers: { "content-type": example.mediaType, "x-request-id": requestId },
          });
        }
      }
      const delay = faults.latency(op.operationId);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const injected = faults.takeStatus(op.operationId);
      if (injected) {
        throw new ApiError(
          injected.status ?? 503,
          "A fault scenario made this call fail.",
          [{ in: "path", message: `${op.operationId} is failed by a fault scenario of the control API` }],
          injected.retryAfter !== undefined ? { "retry-after": String(injected.retryAfter) } : {},
        );
      }
      // The call applies now, after its body, its latency and any commit it must not read past:
      // that is its virtual time, the one a replay gives it. A reset, or a commit that failed
      // and was undone, may have replaced the world meanwhile, so token and account are looked up again.
      persistence.assertUsable();
      if (op.method === "GET") await persistence.settled();
      const now = clock.now();
      const current = world.tokens.get(token);
      if (!current || current.tenantId !== grant.tenantId || (current.expires !== undefined && current.expires <= now)) throw unknownToken();
      const tenant = world.tenants.get(grant.tenantId);
      if (!tenant) throw new ApiError(401, "The token's account no longer exists.");
      world.catchUp(now);
      const handler = handlers[op.operationId] as unknown as (ctx: unknown) => { status: number; body?: unknown };
      if (readKey) return answerRead(c, answers, world, tenant.id, readKey, now, requestId, () => handler({ world, tenant, params, body, now }));
      const reply = handler({ world, tenant, params, body, now });
      if (op.method !== "GET") await persist({ kind: "api", now, payload: { operationId: op.operationId, tenantId: tenant.id, params, body } });
      const headers = { "x-request-id": requestId, ...canonicalNames(body) };
      if (reply.body === undefined) return c.body(null, answerStatus(op.operationId, c.req.header("content-type"), reply.status) as 200, headers);
      return c.json(reply.body as object, reply.status as 200, headers);
    } catch (error) {
      if (error instanceof ApiError) {
        // A 404 of a handler names the path parameter that names nothing (body ids are named by the handler).
        if (error.status === 404 && !error.errors.length && op.lastParam) error.errors.push({ in: "path", name: op.lastParam, message: "names nothing in this account" });
        return problemResponse(c, error, requestId);
      }
      if (clientAborted(c)) {
        (c.set as (key: string, value: unknown) => void)(ABORTED, true);
        return problemResponse(c, new ApiError(400, "The client closed the connection before sending the whole body."), requestId);
      }
      log(`internal error in ${op.operationId}: ${(error as Error).stack ?? String(error)}`);
      return problemResponse(c, new ApiError(500, "The reference server failed while handling the request."), requestId);
    }
  };

  for (const tenantForm of [true, false]) {
    for (const op of operations) {
      const template = tenantForm ? op.path : withoutTenant(op.path);
      app.on(op.method, toHonoPath(template), handle(op, tenantForm));
    }
  }

  // In-process callers have no socket to drop: `Prefer: fault=reset` rejects their fetch instead.
  const honoFetch = app.fetch.bind(app);
  (app as { fetch: typeof app.fetch }).fetch = async (request, env, executionContext) => {
    const response = await honoFetch(request, env, executionContext);
    if (response.headers.get(RESET_HEADER)) throw new TypeError("fetch failed: connection reset (Prefer: fault=reset)");
    return response;
  };

  app.get("/openapi.json", (c) => c.json(document as object));
  mountDocs(app, options.docs);
  app.notFound((c) =>
    methodNotAllowed(c) ??
    problemResponse(c, new ApiError(404, `No operation answers ${c.req.method} ${new URL(c.req.url).pathname}.`), c.req.header("x-request-id") ?? randomUUID()),
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
