/**
 * Serves the internal endpoints (`openapi/internal.yaml`) under both path forms, with the
 * same token, tenant and role rules as the published operations.
 */
import { randomUUID } from "../random.js";
import { internalOperations } from "@cloud-backup/spec";
import type { Context, Hono } from "hono";
import type { VirtualClock } from "../clock.js";
import { ApiError, problemResponse } from "../problem.js";
import { toHonoPath, withoutTenant } from "../routing.js";
import type { Command } from "../store.js";
import type { World } from "../world/world.js";
import { type InternalOperationName, internalHandlers } from "./handlers.js";

export { internalHandlers } from "./handlers.js";

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;
const INT32_MAX = 2_147_483_647;

export interface InternalDeps {
  world: World;
  clock: VirtualClock;
  persist: (command: Command) => Promise<void>;
  roleAllows: (role: string, method: string, operationId: string) => boolean;
}

/** Path parameters: the tenant matches its pattern, ids are strict decimal int32 from 1. */
function parseParams(raw: Record<string, string>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const problems: Array<{ in: "path"; name: string; message: string }> = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === "tenant_id") {
      if (!TENANT.test(value)) problems.push({ in: "path", name, message: `must match ${TENANT.source}` });
      params[name] = value;
    } else if (!/^[0-9]+$/.test(value)) problems.push({ in: "path", name, message: "must be integer" });
    else if (Number(value) < 1) problems.push({ in: "path", name, message: "must be >= 1" });
    else if (Number(value) > INT32_MAX) problems.push({ in: "path", name, message: `must be <= ${INT32_MAX}` });
    else params[name] = Number(value);
  }
  if (problems.length) {
    throw new ApiError(
      400,
      `The path has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}: ${problems.map((p) => `${p.name} ${p.message}`).join("; ")}.`,
      problems,
    );
  }
  return params;
}

export function mountInternal(app: Hono, deps: InternalDeps): void {
  const { world, clock, persist } = deps;
  for (const op of internalOperations) {
    const operationId = op.operationId as InternalOperationName;
    for (const tenantInPath of [true, false]) {
      const template = tenantInPath ? op.path : withoutTenant(op.path);
      app.on(op.method, toHonoPath(template), async (c: Context) => {
        const requestId = c.req.header("x-request-id") ?? randomUUID();
        (c.set as (key: string, value: unknown) => void)("operationId", operationId);
        try {
          const token = c.req.header("x-auth-token");
          if (!token)
            throw new ApiError(401, "Send a token in the X-Auth-Token header.", [
              { in: "header", name: "X-Auth-Token", message: "is required" },
            ]);
          const now = clock.now();
          const grant = world.tokens.get(token);
          if (!grant || (grant.expires !== undefined && grant.expires <= now)) {
            throw new ApiError(401, "The token is unknown or expired; authenticate again.", [
              { in: "header", name: "X-Auth-Token", message: "is not a valid token" },
            ]);
          }
          const params = parseParams(c.req.param() as Record<string, string>);
          if (!tenantInPath) params.tenant_id = grant.tenantId;
          if (params.tenant_id !== grant.tenantId)
            throw new ApiError(403, `This token may not act on account ${String(params.tenant_id)}.`);
          const tenant = world.tenants.get(grant.tenantId);
          if (!tenant) throw new ApiError(401, "The token's account no longer exists.");
          if (!deps.roleAllows(grant.role, op.method, operationId))
            throw new ApiError(403, `The role ${grant.role} may not call ${operationId}.`);
          world.catchUp(now);
          const reply = internalHandlers[operationId]({ world, tenant, params, now });
          if (op.method !== "GET")
            await persist({ kind: "api", now, payload: { operationId, tenantId: tenant.id, params, body: undefined } });
          return c.json(reply.body as object, reply.status, { "x-request-id": requestId });
        } catch (error) {
          if (error instanceof ApiError) return problemResponse(error, c.req.path, requestId);
          throw error;
        }
      });
    }
  }
}
