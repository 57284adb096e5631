/**
 * The request pipeline of an API operation, as named Hono middleware in the order they run:
 * `start` (operation and request id; `Preference-Applied` on the way out), `auth` (the
 * token), `answerCache` (a kept read), `tenant` (path parameters and the token's account),
 * `role`, `body`, `prefer` (`Prefer` directives), `faults` (fault scenarios), then `operate`
 * (the handler, the commit and the answer). What one step learns the next reads from the
 * context's typed variables; every error they throw is answered by `answerError`.
 */
import type { MiddlewareHandler } from "hono";
import type { AnswerCache } from "../answer-cache.js";
import type { FaultRegistry } from "../admin.js";
import type { VirtualClock } from "../clock.js";
import { canonicalNames } from "../fidelity/field-names.js";
import { answerStatus } from "../fidelity/media-types.js";
import { handlers } from "../handlers.js";
import { preferenceApplied, preferIgnored, withPreferenceApplied } from "../http-conventions.js";
import type { Persistence } from "../persistence.js";
import { parsePrefer } from "../prefer.js";
import { ApiError } from "../problem.js";
import { randomUUID } from "../random.js";
import { answerRead, serveKept } from "../read-path.js";
import { toProblemFields } from "../validation.js";
import type { TokenInfo } from "../world/types.js";
import type { World } from "../world/world.js";
import { type CompiledOperation, readBody } from "./operations.js";

/** What the steps of the pipeline hand on to the next ones. */
export interface PipelineVariables {
  operation: CompiledOperation;
  operationId: string;
  requestId: string;
  token: string;
  grant: TokenInfo;
  /** The account and path of a read that may be answered again while it holds ("" for writes). */
  readKey: string;
  params: Record<string, unknown>;
  body: unknown;
  /** Set when the client went away before sending the whole body (`ABORTED`, read by the request log). */
  clientAborted: boolean;
}

export type PipelineEnv = { Variables: PipelineVariables };
type Step = MiddlewareHandler<PipelineEnv>;

/** What the pipeline works with. */
export interface PipelineDeps {
  world: World;
  clock: VirtualClock;
  persistence: Persistence;
  answers: AnswerCache;
  faults: FaultRegistry;
}

/** Marks an answer whose connection was dropped on purpose (`Prefer: fault=reset`). */
export const RESET_HEADER = "x-cloud-backup-reset";
/** The status of that answer (never sent: the connection is gone). */
export const RESET_STATUS = 599;

const unknownToken = () =>
  new ApiError(401, "The token is unknown or expired; authenticate again.", [
    { in: "header", name: "X-Auth-Token", message: "is not a valid token" },
  ]);

/** Names the operation and the request; on the way out, says which `Prefer` directives applied. */
export const start =
  (op: CompiledOperation): Step =>
  async (c, next) => {
    c.set("operation", op);
    c.set("operationId", op.operationId);
    c.set("requestId", c.req.header("x-request-id") ?? randomUUID());
    await next();
    // Assigning c.res again, even the same answer, makes Hono copy it through a stream (the slow path).
    const answer = withPreferenceApplied(c, c.res);
    if (answer !== c.res) c.res = answer;
  };

/** The X-Auth-Token: present, known and not expired. */
export const auth =
  ({ world, clock, persistence }: PipelineDeps): Step =>
  async (c, next) => {
    persistence.assertUsable();
    const token = c.req.header("x-auth-token");
    if (!token)
      throw new ApiError(401, "Send a token in the X-Auth-Token header.", [{ in: "header", name: "X-Auth-Token", message: "is required" }]);
    const grant = world.tokens.get(token);
    if (!grant || (grant.expires !== undefined && grant.expires <= clock.now())) throw unknownToken();
    c.set("token", token);
    c.set("grant", grant);
    await next();
  };

/**
 * A read answered before for this account and path, while it still holds, is written again as
 * it was (it passed validation and the role check then; the same path passes them now).
 */
export const answerCache =
  ({ world, clock, answers, faults }: PipelineDeps): Step =>
  async (c, next) => {
    const grant = c.get("grant");
    const readKey = c.get("operation").method === "GET" ? `${grant.tenantId} ${c.req.path}` : "";
    c.set("readKey", readKey);
    if (readKey && faults.faults.length === 0 && c.req.header("prefer") === undefined) {
      const kept = serveKept(c, answers, readKey, world.revisionOf(grant.tenantId), clock.now(), c.get("requestId"));
      if (kept) return kept;
    }
    await next();
  };

/** The path parameters, validated, and the account they name: the token's own, still there. */
export const tenant =
  (world: World, tenantInPath: boolean): Step =>
  async (c, next) => {
    const op = c.get("operation");
    const grant = c.get("grant");
    const params: Record<string, unknown> = { ...c.req.param() };
    if (!tenantInPath) params.tenant_id = grant.tenantId;
    for (const name of op.integerParams) {
      const raw = params[name];
      if (typeof raw === "string" && /^-?[0-9]+$/.test(raw)) params[name] = Number(raw);
    }
    if (!op.params(params)) {
      const fields = toProblemFields(op.params.errors, "path");
      throw new ApiError(
        400,
        `The path has ${fields.length === 1 ? "a problem" : `${fields.length} problems`}: ${fields.map((f) => `${f.name} ${f.message}`).join("; ")}.`,
        fields,
      );
    }
    if (params.tenant_id !== grant.tenantId) {
      throw new ApiError(403, `This token may not act on account ${String(params.tenant_id)}.`, [
        { in: "path", name: "tenant_id", message: "is not the token's account" },
      ]);
    }
    if (!world.tenants.has(grant.tenantId)) throw new ApiError(401, "The token's account no longer exists.");
    c.set("params", params);
    await next();
  };

/** The token's role is one the operation's security requirement lists. */
export const role: Step = async (c, next) => {
  const { role } = c.get("grant");
  const op = c.get("operation");
  if (!op.roles.has(role)) {
    throw new ApiError(403, `The role ${role} may not call ${op.operationId}.`, [
      { in: "header", name: "X-Auth-Token", message: `has the role ${role}, which may not call ${op.operationId}` },
    ]);
  }
  await next();
};

/** The request body, validated against the operation's schema and cut to its declared fields. */
export const body: Step = async (c, next) => {
  const op = c.get("operation");
  c.set("body", op.bodies.size || op.formBody ? await readBody(c, op) : undefined);
  await next();
};

/** `Prefer`: latency, a dropped connection, a documented status or a named example. */
export const prefer: Step = async (c, next) => {
  const op = c.get("operation");
  const prefs = parsePrefer(c.req.header("prefer"));
  if (prefs.latency) {
    await new Promise((resolve) => setTimeout(resolve, prefs.latency));
    preferenceApplied(c, `latency=${prefs.latency}`);
  }
  if (prefs.reset) {
    const socket = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming?.socket;
    if (socket) socket.destroy();
    return new Response(null, { status: RESET_STATUS, headers: { [RESET_HEADER]: "1" } });
  }
  if (prefs.code && !op.statuses.has(prefs.code)) preferIgnored(c, prefs.code, op.operationId, op.statuses);
  if (prefs.code && prefs.code >= 400 && op.statuses.has(prefs.code)) {
    preferenceApplied(c, `code=${prefs.code}`);
    throw new ApiError(
      prefs.code,
      `Answered ${prefs.code} as asked by Prefer: code=${prefs.code}.`,
      [{ in: "header", name: "Prefer", message: `asks for code=${prefs.code}` }],
      prefs.code === 503 ? { "retry-after": "1" } : {},
    );
  }
  if (prefs.example) {
    const example = op.examples.get(prefs.example);
    if (example) {
      preferenceApplied(c, `example=${prefs.example}`);
      return new Response(example.mediaType === "text/plain" ? String(example.value) : JSON.stringify(example.value), {
        status: example.status,
        headers: { "content-type": example.mediaType, "x-request-id": c.get("requestId") },
      });
    }
  }
  await next();
};

/** Fault scenarios of the control API: added latency, or a failed call. */
export const faults =
  ({ faults }: PipelineDeps): Step =>
  async (c, next) => {
    const { operationId } = c.get("operation");
    const delay = faults.latency(operationId);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const injected = faults.takeStatus(operationId);
    if (injected) {
      throw new ApiError(
        injected.status ?? 503,
        "A fault scenario made this call fail.",
        [{ in: "path", message: `${operationId} is failed by a fault scenario of the control API` }],
        injected.retryAfter !== undefined ? { "retry-after": String(injected.retryAfter) } : {},
      );
    }
    await next();
  };

/**
 * Runs the operation's handler and answers. The call applies now, after its body, its latency
 * and any commit it must not read past: that is its virtual time, the one a replay gives it. A
 * reset, or a commit that failed and was undone, may have replaced the world meanwhile, so
 * token and account are looked up again.
 */
export const operate =
  ({ world, clock, persistence, answers }: PipelineDeps): Step =>
  async (c) => {
    const op = c.get("operation");
    const grant = c.get("grant");
    const requestId = c.get("requestId");
    const { params, body } = { params: c.get("params"), body: c.get("body") };
    persistence.assertUsable();
    if (op.method === "GET") await persistence.settled();
    const now = clock.now();
    const current = world.tokens.get(c.get("token"));
    if (!current || current.tenantId !== grant.tenantId || (current.expires !== undefined && current.expires <= now)) throw unknownToken();
    const tenant = world.tenants.get(grant.tenantId);
    if (!tenant) throw new ApiError(401, "The token's account no longer exists.");
    world.catchUp(now);
    const handler = handlers[op.operationId] as unknown as (ctx: unknown) => { status: number; body?: unknown };
    const readKey = c.get("readKey");
    if (readKey)
      return answerRead(c, answers, world, tenant.id, readKey, now, requestId, () => handler({ world, tenant, params, body, now }));
    const reply = handler({ world, tenant, params, body, now });
    if (op.method !== "GET")
      await persistence.persist({ kind: "api", now, payload: { operationId: op.operationId, tenantId: tenant.id, params, body } });
    const headers = { "x-request-id": requestId, ...canonicalNames(body) };
    if (reply.body === undefined)
      return c.body(null, answerStatus(op.operationId, c.req.header("content-type"), reply.status) as 200, headers);
    return c.json(reply.body as object, reply.status as 200, headers);
  };
