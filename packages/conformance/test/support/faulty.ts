/**
 * Deliberately broken variants of the reference server: `createServer()` behind a fetch
 * wrapper that rewrites chosen answers. Each variant names the capability that must report it.
 */
import { createServer } from "@cloud-backup/server";
import type { Capability, FetchLike } from "../../src/index.js";

/** What a fault sees: the request, the server behind it, and what the wrapper learnt so far. */
export interface FaultState {
  /** Token → tenant, from the demo world and from every tenant the control API created. */
  tenants: Map<string, string>;
  /** The last accepted createBackupConfiguration body, per token. */
  lastCreate: Map<string, string>;
}

export type Fault = (request: Request, next: (request: Request) => Promise<Response>, state: FaultState) => Promise<Response>;

export interface FaultVariant {
  /** The capability that must report it. */
  capability: Capability;
  description: string;
  /** A phrase the failure message of that capability must contain. */
  evidence: RegExp;
  fault: Fault;
}

const pathOf = (request: Request) => new URL(request.url).pathname;
const TERMINAL = ["Completed", "CompletedWithErrors", "Failed", "Stopped", "Skipped", "Missed"];

function copyHeaders(res: Response): Headers {
  const headers = new Headers(res.headers);
  headers.delete("content-length");
  return headers;
}

/** Answers the same response with its JSON body rewritten. */
export async function rewriteJson(res: Response, change: (body: any) => any): Promise<Response> {
  const body = change(await res.json());
  return new Response(JSON.stringify(body), { status: res.status, headers: copyHeaders(res) });
}

function problem(status: number, title: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail: "Injected by a conformance test." }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

export const VARIANTS: Record<string, FaultVariant> = {
  "wrong-type": {
    capability: "agents",
    description: "getAgent answers MachineAgentId as a string",
    evidence: /MachineAgentId must be integer/,
    fault: async (request, next) => {
      const res = await next(request);
      if (request.method === "GET" && /^\/v1\.0\/[^/]+\/agent\/\d+$/.test(pathOf(request)) && res.status === 200) {
        return rewriteJson(res, (body) => ({ ...body, MachineAgentId: String(body.MachineAgentId) }));
      }
      return res;
    },
  },
  "missing-required": {
    capability: "backup-configurations",
    description: "getBackupConfiguration answers without the required IsActive",
    evidence: /missing required property "IsActive"/,
    fault: async (request, next) => {
      const res = await next(request);
      if (request.method === "GET" && /^\/v1\.0\/[^/]+\/backup-configuration\/\d+$/.test(pathOf(request)) && res.status === 200) {
        return rewriteJson(res, ({ IsActive: _drop, ...rest }) => rest);
      }
      return res;
    },
  },
  "undocumented-status": {
    capability: "errors",
    description: "every 404 becomes 418",
    evidence: /answered 418, which it does not document/,
    fault: async (request, next) => {
      const res = await next(request);
      return res.status === 404 ? new Response(await res.text(), { status: 418, headers: copyHeaders(res) }) : res;
    },
  },
  "500-on-bad-input": {
    capability: "robustness",
    description: "a body that is not JSON answers 500",
    evidence: /Shrunk counterexample:[\s\S]*answered 500/,
    fault: async (request, next) => {
      const text = await request.clone().text();
      if (text && pathOf(request).startsWith("/v1.0/")) {
        try {
          JSON.parse(text);
        } catch {
          return problem(500, "Internal Server Error");
        }
      }
      return next(request);
    },
  },
  "never-finishes": {
    capability: "backups",
    description: "getBackup keeps every backup InProgress",
    evidence: /did not happen within \d+ virtual seconds/,
    fault: async (request, next) => {
      const res = await next(request);
      if (request.method === "GET" && /^\/v1\.0\/[^/]+\/backup\/\d+$/.test(pathOf(request)) && res.status === 200) {
        return rewriteJson(res, (body) => (TERMINAL.includes(body.CurrentState) ? { ...body, CurrentState: "InProgress" } : body));
      }
      return res;
    },
  },
  "cross-tenant-read": {
    capability: "auth",
    description: "a read refused with 403 or 404 is answered from whichever tenant has the resource",
    evidence: /read tenant|with tenant .*'s token answered 200|list shows tenant/,
    fault: async (request, next, state) => {
      const first = await next(request.clone());
      if (request.method !== "GET" || (first.status !== 403 && first.status !== 404)) return first;
      const token = request.headers.get("x-auth-token");
      const match = /^\/v1\.0\/([^/]+)(\/.*)$/.exec(pathOf(request));
      if (!match) return first;
      for (const [otherToken, tenant] of state.tenants) {
        if (otherToken === token) continue;
        const url = new URL(request.url);
        url.pathname = `/v1.0/${tenant}${match[2]}`;
        const headers = new Headers(request.headers);
        headers.set("x-auth-token", otherToken);
        const leaked = await next(new Request(url, { method: "GET", headers }));
        if (leaked.ok) return leaked;
      }
      return first;
    },
  },
  "applies-rejected-write": {
    capability: "backup-configurations",
    description: "a configuration create answered 400 is applied anyway (the last good create is replayed)",
    evidence: /answered 400 but the list gained/,
    fault: async (request, next, state) => {
      const isCreate = request.method === "POST" && /^\/v1\.0\/[^/]+\/backup-configuration$/.test(pathOf(request));
      if (!isCreate) return next(request);
      const token = request.headers.get("x-auth-token") ?? "";
      const text = await request.clone().text();
      const res = await next(request);
      if (res.status === 200) state.lastCreate.set(token, text);
      const good = state.lastCreate.get(token);
      if (res.status === 400 && good) {
        const body = JSON.parse(good);
        body.BackupConfigurationName = `ghost of a rejected create ${Math.random().toString(36).slice(2)}`;
        await next(new Request(request.url, { method: "POST", headers: request.headers, body: JSON.stringify(body) }));
      }
      return res;
    },
  },
};

/** A reference server on a frozen clock behind a fault; answers the fetch to give the kit. */
export function faultyServer(fault?: Fault): { fetch: FetchLike } {
  const app = createServer({ clock: { speed: 0 } });
  const state: FaultState = { tenants: new Map([["demo-token", "1234"]]), lastCreate: new Map() };
  const next = async (request: Request) => {
    const res = await app.fetch(request);
    // Learn the tenants the control API creates (the cross-tenant fault replays with their tokens).
    if (new URL(request.url).pathname === "/__admin/tenants" && res.status === 201) {
      const body = (await res.clone().json()) as { tenantId: string; tokens: Record<string, string> };
      for (const token of Object.values(body.tokens)) state.tenants.set(token, body.tenantId);
    }
    return res;
  };
  return {
    fetch: async (input, init) => {
      const request = new Request(input, init);
      return fault ? fault(request, next, state) : next(request);
    },
  };
}
