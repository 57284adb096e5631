/**
 * Kept reads answered before routing (src/fast-read.ts): the same answer the pipeline gives,
 * and the whole way (router, pipeline) for everything that path does not handle itself.
 * Whether a request was routed is read from a spy on the app's router.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createServer, type ServerOptions } from "../src/index.js";
import { T0, weeklyConfig } from "./helpers.js";

const AGENT = "/v1.0/1234/agent/213564";

/** A spy on the router's match (after a first request, once Hono's SmartRouter has picked the router it keeps). */
async function spyOnRouting(app: ReturnType<typeof createServer>) {
  await app.request("/__admin/health");
  return vi.spyOn(app.router, "match");
}

async function server(options: ServerOptions = {}) {
  const lines: string[] = [];
  const app = createServer({ clock: { start: T0, speed: 1 }, log: (line) => lines.push(line), ...options });
  const routed = await spyOnRouting(app);
  async function get(path: string, headers: Record<string, string> = {}, method = "GET", body?: unknown) {
    const before = routed.mock.calls.length;
    const res = await app.request(path, {
      method,
      headers: { "X-Auth-Token": "demo-token", ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(
      conformanceProblems(method, path.split("?")[0]!, res.status, res.headers.get("content-type"), text),
      `${method} ${path}`,
    ).toEqual([]);
    return { status: res.status, text, headers: res.headers, routed: routed.mock.calls.length > before };
  }
  return { app, get, lines };
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((close) => close()));
});

describe("a kept read is answered before routing", () => {
  it("with the same body and headers as the pipeline's answer, and the same log line", async () => {
    const { get, lines } = await server();
    const first = await get(AGENT);
    expect(first).toMatchObject({ status: 200, routed: true });
    const again = await get(AGENT, { "X-Request-Id": "req-42" });
    expect(again).toMatchObject({ status: 200, routed: false, text: first.text });
    expect(again.headers.get("x-request-id")).toBe("req-42");
    expect([...again.headers.keys()].sort()).toEqual([...first.headers.keys()].sort());
    expect(again.headers.get("x-content-type-options")).toBe("nosniff");
    expect(again.headers.get("content-type")).toBe(first.headers.get("content-type"));
    const [a, b] = lines.slice(-2).map((l) => l.split(" ").slice(0, 4));
    expect(b).toEqual(a);
    expect(b).toEqual(["GET", AGENT, "getAgent", "200"]);
  });

  it("and no longer once a write changed the account", async () => {
    const { get } = await server();
    const list = "/v1.0/1234/backup-configuration";
    await get(list);
    expect((await get(list)).routed).toBe(false);
    const created = await get(list, {}, "POST", weeklyConfig(202743, { BackupConfigurationName: "fast path" }));
    expect(created.status).toBe(200);
    const after = await get(list);
    expect(after.routed).toBe(true);
    expect(after.text).toContain("fast path");
  });
});

describe("everything else goes the whole way", () => {
  it.each([
    ["Prefer", { Prefer: "code=404" }],
    ["Origin", { Origin: "https://example.com" }],
    ["an unknown token", { "X-Auth-Token": "nobody" }],
  ])("a request with %s", async (_name, headers) => {
    const { get } = await server();
    await get(AGENT);
    const other = await get(AGENT, headers);
    expect(other.routed).toBe(true);
  });

  it("a query string, and an escaped character in the path", async () => {
    const { get } = await server();
    await get(AGENT);
    expect((await get(`${AGENT}?x=1`)).routed).toBe(true);
    expect((await get("/v1.0/1234/agent/21356%34")).routed).toBe(true);
  });

  it("while a fault scenario is set", async () => {
    const { get, app } = await server();
    await get(AGENT);
    const fault = await app.request("/__admin/faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "latency", operationId: "listAgents", ms: 1 }),
    });
    expect(fault.status).toBe(201);
    expect((await get(AGENT)).routed).toBe(true);
  });

  it("on a server with CORS on", async () => {
    const { get } = await server({ cors: ["https://example.com"] });
    await get(AGENT);
    expect((await get(AGENT)).routed).toBe(true);
  });

  it("over a socket, a Host the server refuses (403), while an allowed one is answered before routing", async () => {
    const { app } = await server({ allowedHosts: "loopback" });
    const routed = await spyOnRouting(app);
    const s = await new Promise<Server>((resolve) => {
      const listening = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(listening as Server));
    });
    running.push(
      () =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    );
    const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const call = async (host?: string) => {
      const { request } = await import("node:http");
      return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${base}${AGENT}`, { headers: { "x-auth-token": "demo-token", ...(host ? { host } : {}) } }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
    };
    expect((await call()).status).toBe(200);
    const before = routed.mock.calls.length;
    const kept = await call();
    expect(kept.status).toBe(200);
    expect(routed.mock.calls.length).toBe(before);
    const refused = await call("evil.example");
    expect(refused.status).toBe(403);
    expect(conformanceProblems("GET", AGENT, 403, "application/problem+json", refused.body)).toEqual([]);
    expect(routed.mock.calls.length).toBeGreaterThan(before);
  });
});
