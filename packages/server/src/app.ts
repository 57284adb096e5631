import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { document, specHash, specVersion } from "@cloud-backup/spec";
import type { ValidateFunction } from "ajv";
import { type Context, Hono } from "hono";
import { VirtualClock } from "./clock.js";
import { routes } from "./generated/routes.js";
import type { OperationName } from "./handler-types.js";
import { handlers } from "./handlers.js";
import { ApiError, problemResponse as toProblemResponse } from "./problem.js";
import { toHonoPath, withoutTenant } from "./routing.js";
import { compileAt, createAjv, pointerOf, toProblemFields } from "./validation.js";
import { applyFaultEffect, FaultRegistry, mountAdmin } from "./admin.js";
import { type Command, Store, StoreError } from "./store.js";
import { parsePrefer } from "./prefer.js";
import { mountIdentity } from "./identity.js";
import { ABORTED, clientAborted, limitBodies, parseJson, readText, stripUndeclared, tooDeep, tooDeepError } from "./limits.js";
import { type AllowedHosts, docsPageCsp, guard, pathForLog } from "./guard.js";
import { identityRefusal } from "./identity.js";
import { applyTenant, type SeedOptions, seedWorld } from "./world/seed.js";
import { World } from "./world/world.js";

/** Reads whose answer is at least this large (all, today) are kept for reuse at the same world revision and time. */
const ANSWER_CACHE_MIN_BYTES = 0;
const ANSWER_CACHE_ENTRIES = 256;
/** At most this many characters of answers are kept in all. */
const ANSWER_CACHE_MAX_BYTES = 32 * 1024 * 1024;

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
  /** Keep the world in this SQLite file (created when missing); without it the world lives in memory. */
  data?: string;
  /** With `data`: fsync every commit (survives power loss, slower). By default commits survive process crashes. */
  fsync?: boolean;
  /** With `data`: write a snapshot after this many commands (default 1000). */
  snapshotEvery?: number;
  /** A built docs site (`apps/docs/dist`), served read-only at `/docs/`; unset, `/docs` answers 404 with a hint. */
  docsDir?: string;
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
  const ajv = createAjv(doc);
  return routes.map((route) => {
    const item = doc.paths[route.path]!;
    const op = item[route.method.toLowerCase()]!;
    const resolveParam = (p: any) => (p.$ref ? ajvResolve(doc, p.$ref) : p);
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
      else bodies.set(mediaType, lazy(() => compileAt(ajv, pointer)));
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

function ajvResolve(doc: unknown, ref: string): any {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((acc: any, key) => acc?.[key], doc);
}

/** Inlines `$ref`s of a small schema (path parameter schemas). */
function resolveRefs(doc: unknown, schema: any): any {
  if (!schema || typeof schema !== "object") return schema;
  if (schema.$ref) return resolveRefs(doc, ajvResolve(doc, schema.$ref));
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(doc, s));
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolveRefs(doc, v)]));
}

/** Operations only `cloudBackup:admin` may call (the service's published permission matrix). */
export const ADMIN_ONLY = new Set<string>(["changeEncryptionPassword", "deleteAgent", "migrateVault", "deleteBackupConfiguration", "changeAgentLogLevel"]);

/** Whether a role may call an operation: observers read, creators also create and run. */
export function roleAllows(role: string, method: string, operationId: string): boolean {
  if (role === "cloudBackup:admin") return true;
  if (method === "GET") return true;
  if (role === "cloudBackup:creator") return !ADMIN_ONLY.has(operationId);
  return false;
}

const compiled = { value: undefined as CompiledOperation[] | undefined };

/** Content types of the files a built docs site has. */
const DOCS_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

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
  if (contentType && !contentType.endsWith("json") && contentType !== "text/plain") {
    throw new ApiError(400, `Send the body as application/json (got ${contentType}).`, [
      { in: "header", name: "Content-Type", message: "must be application/json" },
    ]);
  }
  const value = parseJson(raw, true);
  const validate = op.bodies.get("application/json");
  if (validate && !validate(value)) {
    const frequency = value && typeof value === "object" ? (value as Record<string, unknown>).Frequency : undefined;
    const fields = toProblemFields(validate.errors, "body", { frequency });
    throw new ApiError(400, fields.length === 1 ? `${fields[0]!.pointer || "The body"} ${fields[0]!.message}.` : `The body has ${fields.length} problems.`, fields);
  }
  // Only what the operation declares is applied and persisted.
  return stripUndeclared(document, op.schemas.get("application/json"), value);
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
  const store = options.data ? Store.open(options.data, { fsync: options.fsync }) : undefined;
  const snapshot = store?.latestSnapshot();
  const commands = store ? store.commandsAfter(snapshot?.seq ?? 0) : [];
  const last = commands.at(-1) ?? snapshot;
  const speed = options.clock?.speed ?? 1;
  // After a restart the virtual clock resumes where it was, plus the real time elapsed at its speed.
  const start = last ? Math.max(options.clock?.start ?? 0, last.now + Math.max(0, Date.now() - last.real) * speed) : options.clock?.start;
  const clock = new VirtualClock({ start, speed });
  const log = options.log ?? (() => {});

  const apply = (command: Command) => {
    const p = command.payload;
    world.catchUp(command.now);
    switch (command.kind) {
      case "api": {
        const tenant = world.tenants.get(p.tenantId);
        const handler = handlers[p.operationId as OperationName] as unknown as (ctx: unknown) => unknown;
        if (!tenant || !handler) throw new StoreError(`cannot replay ${p.operationId} for tenant ${p.tenantId}`);
        handler({ world, tenant, params: p.params, body: p.body, now: command.now });
        break;
      }
      case "clock":
        world.catchUp(p.to);
        break;
      case "reset":
        world.clear();
        seedWorld(world, seed, command.now);
        break;
      case "tenant":
        applyTenant(world, p, command.now);
        break;
      case "fault":
        applyFaultEffect(world, p, command.now);
        break;
    }
  };
  if (snapshot) world.load(snapshot.world);
  else seedWorld(world, seed, store ? (last?.now ?? clock.now()) : clock.now());
  for (const command of commands) apply(command);
  if (store && !snapshot) store.writeSnapshot(world.toJSON(), clock.now());

  const snapshotEvery = options.snapshotEvery ?? 5000;
  const answers = new Map<string, { revision: number; now: number; status: number; bytes: Uint8Array<ArrayBuffer> }>();
  let cachedBytes = 0;
  // Group commit: the writes of one turn of the event loop are committed in one transaction,
  // and each request answers only once its command is durable.
  let queue: Array<{ command: Command; done: () => void; fail: (error: unknown) => void }> = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      store!.appendMany(batch.map((b) => b.command));
      // Snapshot here, while no applied command is waiting to be committed.
      if (store!.pending >= snapshotEvery) store!.writeSnapshot(world.toJSON(), clock.now());
    } catch (error) {
      for (const b of batch) b.fail(error);
      return;
    }
    for (const b of batch) b.done();
  };
  const persist = (command: Command): Promise<void> => {
    world.revision++;
    if (!store) return Promise.resolve();
    return new Promise((done, fail) => {
      if (queue.push({ command, done, fail }) === 1) setImmediate(flush);
    });
  };
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
    close: {
      value: () => {
        if (!store) return;
        store.writeSnapshot(world.toJSON(), clock.now());
        store.close();
      },
    },
  });

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
  mountAdmin(app, { world, clock, faults, adminToken: options.adminToken, reset: () => app.reset(), persist });
  mountIdentity(app, { world, clock, publicUrl: options.publicUrl, readJson: async (c) => parseJson(await readText(c)) });

  const handle = (op: CompiledOperation, tenantInPath: boolean) => async (c: Context) => {
    const requestId = c.req.header("x-request-id") ?? randomUUID();
    (c.set as (key: string, value: unknown) => void)("operationId", op.operationId);
    try {
      const token = c.req.header("x-auth-token");
      if (!token) throw new ApiError(401, "Send a token in the X-Auth-Token header.", [{ in: "header", name: "X-Auth-Token", message: "is required" }]);
      const now = clock.now();
      const grant = world.tokens.get(token);
      if (!grant || (grant.expires !== undefined && grant.expires <= now)) {
        throw new ApiError(401, "The token is unknown or expired; authenticate again.", [{ in: "header", name: "X-Auth-Token", message: "is not a valid token" }]);
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
      const tenant = world.tenants.get(grant.tenantId);
      if (!tenant) throw new ApiError(401, "The token's account no longer exists.");
      if (!roleAllows(grant.role, op.method, op.operationId)) {
        throw new ApiError(403, `The role ${grant.role} may not call ${op.operationId}.`, [
          { in: "header", name: "X-Auth-Token", message: `has the role ${grant.role}, which may not call ${op.operationId}` },
        ]);
      }
      const body = op.bodies.size || op.formBody ? await readBody(c, op) : undefined;
      const prefer = parsePrefer(c.req.header("prefer"));
      if (prefer.latency) await new Promise((resolve) => setTimeout(resolve, prefer.latency));
      if (prefer.reset) {
        const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
        if (socket) socket.destroy();
        return new Response(null, { status: 599, headers: { [RESET_HEADER]: "1" } });
      }
      if (prefer.code && prefer.code >= 400 && op.statuses.has(prefer.code)) {
        throw new ApiError(prefer.code, `Answered ${prefer.code} as asked by Prefer: code=${prefer.code}.`, [{ in: "header", name: "Prefer", message: `asks for code=${prefer.code}` }], prefer.code === 503 ? { "retry-after": "1" } : {});
      }
      if (prefer.example) {
        const example = op.examples.get(prefer.example);
        if (example) {
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
      world.catchUp(now);
      // Only a frozen clock repeats `now`; a running one would never hit.
      const cacheKey = op.method === "GET" && clock.speed === 0 ? `${tenant.id} ${c.req.path}` : "";
      if (cacheKey) {
        const hit = answers.get(cacheKey);
        if (hit && hit.revision === world.revision && hit.now === now) {
          return c.body(hit.bytes, hit.status as 200, { "content-type": "application/json", "x-request-id": requestId });
        }
      }
      const handler = handlers[op.operationId] as unknown as (ctx: unknown) => { status: number; body?: unknown };
      const reply = handler({ world, tenant, params, body, now });
      if (cacheKey && reply.body !== undefined) {
        // Reads are kept while nothing changes and the clock stands still.
        const text = JSON.stringify(reply.body);
        if (text.length >= ANSWER_CACHE_MIN_BYTES && text.length <= ANSWER_CACHE_MAX_BYTES) {
          // Kept encoded, so a reuse writes the bytes as they are.
          const bytes = new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
          const previous = answers.get(cacheKey);
          if (previous) {
            answers.delete(cacheKey);
            cachedBytes -= previous.bytes.byteLength;
          }
          while (answers.size >= ANSWER_CACHE_ENTRIES || (answers.size && cachedBytes + bytes.byteLength > ANSWER_CACHE_MAX_BYTES)) {
            const [oldestKey, oldest] = answers.entries().next().value!;
            answers.delete(oldestKey);
            cachedBytes -= oldest.bytes.byteLength;
          }
          answers.set(cacheKey, { revision: world.revision, now, status: reply.status, bytes });
          cachedBytes += bytes.byteLength;
          return c.body(bytes, reply.status as 200, { "content-type": "application/json", "x-request-id": requestId });
        }
        return c.body(text, reply.status as 200, { "content-type": "application/json", "x-request-id": requestId });
      }
      if (op.method !== "GET") await persist({ kind: "api", now, payload: { operationId: op.operationId, tenantId: tenant.id, params, body } });
      const headers = { "x-request-id": requestId };
      if (reply.body === undefined) return c.body(null, reply.status as 200, headers);
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
  app.get("/docs", (c) => c.redirect("/docs/", 301));
  app.get("/docs/*", async (c) => {
    const miss = (detail: string) => problemResponse(c, new ApiError(404, detail), c.req.header("x-request-id") ?? randomUUID());
    if (!options.docsDir) return miss("The docs site is not served here: build it with `npm run docs` and give its folder as `docsDir`.");
    const root = resolve(options.docsDir);
    let file: string;
    try {
      file = resolve(root, decodeURIComponent(new URL(c.req.url).pathname.slice("/docs/".length)) || "index.html");
    } catch {
      return miss("No such page of the docs site.");
    }
    // Only files inside docsDir: "..", encoded or not, cannot climb out of it.
    if (file !== root && !file.startsWith(root + sep)) return miss("No such page of the docs site.");
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const type = DOCS_TYPES[extname(file)] ?? "application/octet-stream";
      const bytes = await readFile(file);
      const csp: Record<string, string> = extname(file) === ".html" ? { "content-security-policy": docsPageCsp(file, bytes) } : {};
      return new Response(bytes, { headers: { "content-type": type, "cache-control": "no-cache", ...csp } });
    } catch {
      return miss("No such page of the docs site.");
    }
  });
  app.notFound((c) =>
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
