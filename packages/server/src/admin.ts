import { randomBase64Url, randomHex, randomUUID } from "./random.js";
import { adminDocument, operations, specHash, specVersion } from "@cloud-backup/spec";
import type { Context, Hono } from "hono";
import { MAX_VIRTUAL_TIME, msDate, type VirtualClock } from "./clock.js";
import { ApiError, problemResponse } from "./problem.js";
import { compileAt, createAjv, pointerOf, toProblemFields } from "./validation.js";
import { applyTenant } from "./world/seed.js";
import { parseJson, readText, stripUndeclared } from "./limits.js";
import { overSocket } from "./guard.js";
import { exportWorld } from "./world/seed-format.js";
import type { Command } from "./store.js";
import type { Role, World } from "./world/world.js";

export interface AdminOptions {
  world: World;
  clock: VirtualClock;
  adminToken?: string;
  reset: () => void;
  /** Records a change to the world durably (no-op without a data file). */
  persist: (command: Command) => Promise<void>;
}

/** A world change made by a fault scenario (persisted, unlike call counters and latency). */
export interface FaultEffect {
  kind: "backupFailure" | "agentOffline";
  id: number;
  value: number | boolean;
}

export function applyFaultEffect(world: World, effect: FaultEffect, now: number): void {
  if (effect.kind === "backupFailure") {
    const config = world.findConfig(effect.id);
    if (config) config.failurePercent = Number(effect.value);
    return;
  }
  for (const tenant of world.tenants.values()) {
    const agent = tenant.agents.get(effect.id);
    if (!agent) continue;
    agent.forcedOffline = Boolean(effect.value);
    // Back online: runs missed meanwhile (MissedBackupActionId 1) happen now.
    if (!agent.forcedOffline && !agent.isDisabled) world.makeUp(tenant, agent, now);
  }
}

export interface Fault {
  id: string;
  kind: "status" | "latency" | "backupFailure" | "agentOffline";
  operationId?: string;
  status?: 500 | 503;
  count?: number;
  remaining?: number;
  retryAfter?: number;
  ms?: number;
  backupConfigurationId?: number;
  percent?: number;
  machineAgentId?: number;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

function isLoopback(c: Context): boolean {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const address = env?.incoming?.socket?.remoteAddress;
  // No socket means the app is called in-process, which is as local as it gets.
  return address === undefined || LOOPBACK.test(address);
}

/**
 * A control-API write over a socket must say `Content-Type: application/json` (or carry the
 * admin token): a web page can send a "simple" cross-origin POST (text/plain, form or no body)
 * without a CORS preflight, but not one of type application/json.
 */
function requireJson(c: Context, adminToken: string | undefined): ApiError | undefined {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS" || !overSocket(c)) return undefined;
  if (adminToken && c.req.header("x-admin-token") === adminToken) return undefined;
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return undefined;
  return new ApiError(415, `Control API writes must be sent with Content-Type: application/json${type ? ` (got ${type})` : ""}.`, [
    { in: "header", name: "Content-Type", message: "must be application/json" },
  ]);
}

function problem(c: Context, error: ApiError): Response {
  return problemResponse(error, c.req.path, c.req.header("x-request-id") ?? randomUUID());
}

/** The registry of fault scenarios, consulted by the API pipeline. */
export class FaultRegistry {
  readonly faults: Fault[] = [];

  /** The status fault that applies to this call, if any (and counts it down). */
  takeStatus(operationId: string): Fault | undefined {
    const fault = this.faults.find((f) => f.kind === "status" && f.operationId === operationId && (f.remaining ?? 0) > 0);
    if (!fault) return undefined;
    fault.remaining = (fault.remaining ?? 1) - 1;
    if (fault.remaining <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  latency(operationId: string): number {
    return this.faults.filter((f) => f.kind === "latency" && f.operationId === operationId).reduce((sum, f) => sum + (f.ms ?? 0), 0);
  }

  clear(): void {
    this.faults.length = 0;
  }
}

/** Mounts the control API under `/__admin` (see `openapi/admin.yaml`). */
export function mountAdmin(app: Hono, options: AdminOptions & { faults: FaultRegistry }): void {
  const { world, clock, faults } = options;
  // Made on first use, like the validators: the control API is not on the start-up path.
  let ajv: ReturnType<typeof createAjv> | undefined;
  const validator = (path: string, method: string) => {
    // Compiled on first use: the control API is not on the start-up path.
    let compiled: ReturnType<typeof compileAt> | undefined;
    const pointer = pointerOf("paths", path, method, "requestBody", "content", "application/json", "schema");
    const validate = ((data: unknown) =>
      (compiled ??= compileAt((ajv ??= createAjv(adminDocument, { trusted: true })), pointer))(data)) as ReturnType<typeof compileAt> & {
      ref: { $ref: string };
    };
    Object.defineProperty(validate, "errors", { get: () => compiled?.errors });
    validate.ref = { $ref: pointer };
    return validate;
  };
  const validateAdvance = validator("/__admin/clock/advance", "post");
  const validateTenant = validator("/__admin/tenants", "post");
  const validateFault = validator("/__admin/faults", "post");

  const clockView = () => {
    const now = clock.now();
    return { now, iso: new Date(now).toISOString(), msDate: msDate(now), speed: clock.speed };
  };

  async function body(c: Context, validate: ReturnType<typeof validator>, optional: boolean): Promise<any> {
    const raw = await readText(c);
    if (raw.trim() === "") {
      if (optional) return {};
      throw new ApiError(400, "The request needs a body.", [{ in: "body", pointer: "", message: "is required" }]);
    }
    const value = parseJson(raw);
    if (!validate(value)) {
      const fields = toProblemFields(validate.errors, "body");
      throw new ApiError(400, `The body has ${fields.length} problem${fields.length === 1 ? "" : "s"}.`, fields);
    }
    // Only the declared fields are kept (a fault echoes what it was given).
    return stripUndeclared(adminDocument, validate.ref, value);
  }

  app.use("/__admin/*", async (c, next) => {
    if (options.adminToken) {
      if (c.req.header("x-admin-token") !== options.adminToken) {
        return problem(
          c,
          new ApiError(401, "Send the admin token in X-Admin-Token.", [
            { in: "header", name: "X-Admin-Token", message: "is missing or wrong" },
          ]),
        );
      }
    } else if (!isLoopback(c)) {
      return problem(
        c,
        new ApiError(403, "The control API answers only loopback callers unless an admin token is configured.", [
          { in: "header", name: "X-Admin-Token", message: "is required from callers not on the loopback interface" },
        ]),
      );
    }
    const refused = requireJson(c, options.adminToken);
    if (refused) return problem(c, refused);
    try {
      await next();
    } catch (error) {
      if (error instanceof ApiError) c.res = problem(c, error);
      else throw error;
    }
  });

  app.post("/__admin/reset", async (c) => {
    options.reset();
    await options.persist({ kind: "reset", now: clock.now(), payload: {} });
    faults.clear();
    return c.body(null, 204);
  });
  app.get("/__admin/clock", (c) => c.json(clockView()));
  app.get("/__admin/world", (c) => c.json(exportWorld(world, clock.now())));
  app.post("/__admin/clock/advance", async (c) => {
    const { seconds } = await body(c, validateAdvance, false);
    const ms = Math.round(seconds * 1000);
    if (clock.now() + ms > MAX_VIRTUAL_TIME) {
      const latest = new Date(MAX_VIRTUAL_TIME).toISOString();
      throw new ApiError(400, `The virtual clock cannot pass ${latest}; it is ${new Date(clock.now()).toISOString()}.`, [
        {
          in: "body",
          pointer: "/seconds",
          message: `must be at most ${Math.floor((MAX_VIRTUAL_TIME - clock.now()) / 1000)} (the clock cannot pass ${latest})`,
        },
      ]);
    }
    clock.advance(ms);
    world.catchUp(clock.now());
    await options.persist({ kind: "clock", now: clock.now(), payload: { to: clock.now() } });
    return c.json(clockView());
  });
  app.get("/__admin/health", (c) => c.json({ status: "ok", specVersion, specHash, uptimeSeconds: Math.round(performance.now() / 1000) }));

  app.post("/__admin/tenants", async (c) => {
    const request = await body(c, validateTenant, true);
    const tenantId: string = request.tenantId ?? `t${randomHex(5)}`;
    if (world.tenants.has(tenantId)) throw new ApiError(409, `Tenant ${tenantId} already exists.`);
    const roles: Role[] = request.roles?.length ? request.roles : ["cloudBackup:admin"];
    const now = clock.now();
    const tokens: Record<string, string> = {};
    for (const role of roles) tokens[role] = randomHex(16);
    const username = `user-${tenantId}`;
    const apiKey = randomHex(16);
    const password = randomBase64Url(12);
    const spec = { tenantId, agents: request.agents ?? 2, tokens, username, apiKey, password };
    world.catchUp(now);
    const agents = applyTenant(world, spec, now);
    await options.persist({ kind: "tenant", now, payload: spec });
    return c.json(
      {
        tenantId,
        token: tokens["cloudBackup:admin"] ?? tokens[roles[0]!]!,
        tokens,
        agents: agents.map((a) => a.id),
        username,
        apiKey,
        password,
      },
      201,
    );
  });

  app.get("/__admin/faults", (c) => c.json(faults.faults));
  app.post("/__admin/faults", async (c) => {
    const request = await body(c, validateFault, false);
    const fault: Fault = { id: randomUUID(), ...request };
    if (fault.kind === "status" || fault.kind === "latency") {
      const op = operations.find((o) => o.operationId === fault.operationId);
      if (!op)
        throw new ApiError(400, `No operation is named ${fault.operationId}.`, [
          { in: "body", pointer: "/operationId", message: "is not an operationId of the API" },
        ]);
      if (fault.kind === "status" && !(op.statuses as readonly number[]).includes(fault.status!)) {
        // Faults stay within the spec: an operation only fails with a status it documents.
        throw new ApiError(400, `${op.operationId} does not document ${fault.status}.`, [
          { in: "body", pointer: "/status", message: `is not a status ${op.operationId} documents` },
        ]);
      }
    }
    if (fault.kind === "status") fault.remaining = fault.count;
    if (fault.kind === "backupFailure") {
      const config = world.findConfig(fault.backupConfigurationId!);
      if (!config)
        throw new ApiError(400, "No such backup configuration.", [
          { in: "body", pointer: "/backupConfigurationId", message: "does not exist" },
        ]);
      const effect: FaultEffect = { kind: "backupFailure", id: config.id, value: fault.percent! };
      applyFaultEffect(world, effect, clock.now());
      await options.persist({ kind: "fault", now: clock.now(), payload: effect });
    }
    if (fault.kind === "agentOffline") {
      const agent = [...world.tenants.values()].map((t) => t.agents.get(fault.machineAgentId!)).find(Boolean);
      if (!agent) throw new ApiError(400, "No such agent.", [{ in: "body", pointer: "/machineAgentId", message: "does not exist" }]);
      const effect: FaultEffect = { kind: "agentOffline", id: agent.id, value: true };
      applyFaultEffect(world, effect, clock.now());
      await options.persist({ kind: "fault", now: clock.now(), payload: effect });
    }
    faults.faults.push(fault);
    return c.json(fault, 201);
  });
  const undo = async (fault: Fault): Promise<void> => {
    const effect: FaultEffect | undefined =
      fault.kind === "backupFailure"
        ? { kind: "backupFailure", id: fault.backupConfigurationId!, value: 0 }
        : fault.kind === "agentOffline"
          ? { kind: "agentOffline", id: fault.machineAgentId!, value: false }
          : undefined;
    if (!effect) return;
    applyFaultEffect(world, effect, clock.now());
    await options.persist({ kind: "fault", now: clock.now(), payload: effect });
  };
  app.delete("/__admin/faults", async (c) => {
    for (const fault of faults.faults) await undo(fault);
    faults.clear();
    return c.body(null, 204);
  });
  app.delete("/__admin/faults/:faultId", async (c) => {
    const index = faults.faults.findIndex((f) => f.id === c.req.param("faultId"));
    if (index < 0) throw new ApiError(404, `Fault ${c.req.param("faultId")} does not exist.`);
    const [fault] = faults.faults.splice(index, 1);
    await undo(fault!);
    return c.body(null, 204);
  });
}
