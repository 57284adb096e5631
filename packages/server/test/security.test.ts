/**
 * Privilege, limits and the things a web page or a hostile client could try: token exchange,
 * byte and depth limits on every route, undeclared fields, the control API's content type and
 * CORS, the Host check, the Identity catalog, the clock bound, token purging, per-account caps,
 * problem bodies and headers. Every answer is checked against the descriptions.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createServer, type ServerOptions } from "../src/node/index.js";
import { MAX_VIRTUAL_TIME } from "../src/clock.js";
import { MAX_ACTIVITY_ITEMS, MAX_CONFIGURATIONS_PER_TENANT } from "../src/limits.js";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { manualConfig, T0, tenantFixture, testServer } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "cb-security-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((close) => close()));
});

/** The server on a real socket; `raw` sends any method, headers and body with node:http. */
async function listen(options: ServerOptions = {}) {
  const app = createServer({ clock: { start: T0, speed: 0 }, ...options });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const port = (server.address() as AddressInfo).port;
  running.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, method, path, headers, agent: false }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => {
          const problems = conformanceProblems(method, path, res.statusCode!, (res.headers["content-type"] as string) ?? null, text);
          expect(problems, `${method} ${path} -> ${res.statusCode} ${text.slice(0, 200)}`).toEqual([]);
          resolve({ status: res.statusCode!, headers: res.headers, text });
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }
  return { app, port, raw };
}

const apiKeyBody = (extra: Record<string, unknown> = {}) => ({
  auth: { "RAX-KSKEY:apiKeyCredentials": { username: "demo", apiKey: "demo-api-key" }, ...extra },
});
const nested = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

describe("token exchange (issue item 1)", () => {
  it.each([
    ["demo-observer-token", "cloudBackup:observer"],
    ["demo-creator-token", "cloudBackup:creator"],
    ["demo-token", "cloudBackup:admin"],
  ])("gives a token presented as %s the same role (%s), never the account user's", async (presented, role) => {
    const { call } = testServer();
    const res = await call("POST", "/v2.0/tokens", { token: null, body: { auth: { token: { id: presented } } } });
    expect(res.status).toBe(200);
    expect(res.body.access.user.roles.map((r: { name: string }) => r.name)).toEqual([role]);
    expect(res.body.access.token.tenant.id).toBe("1234");
    const token = res.body.access.token.id as string;
    // An observer's or creator's exchanged token still may not delete an agent.
    const deleted = await call("POST", "/v1.0/1234/agent/delete", { token, body: { MachineAgentId: 213563 } });
    expect(deleted.status).toBe(role === "cloudBackup:admin" ? 204 : 403);
  });

  it("keeps the tenant: another tenantId answers 401", async () => {
    const { call, newTenant } = testServer();
    const other = await newTenant();
    const res = await call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { tenantId: other.tenantId, token: { id: "demo-observer-token" } } },
    });
    expect(res.status).toBe(401);
  });
});

describe("limits on every route (issue item 5)", () => {
  const big = "x".repeat(1_100_000);

  it("refuses a body over 1 MB to Identity, the control API and an API operation, with no Content-Length", async () => {
    const { call, app } = testServer();
    const identity = await call("POST", "/v2.0/tokens", { token: null, raw: JSON.stringify(apiKeyBody({ pad: big })) });
    expect(identity.status).toBe(400);
    expect(identity.body.badRequest.message).toContain("larger than 1048576 bytes");
    const before = app.world.tenants.size;
    const admin = await call("POST", "/__admin/tenants", { token: null, raw: JSON.stringify({ agents: 1, pad: big }) });
    expect(admin.status).toBe(400);
    expect(admin.body.errors).toEqual([{ in: "body", pointer: "", message: "is larger than 1048576 bytes" }]);
    expect(app.world.tenants.size).toBe(before);
    const api = await call("POST", "/v1.0/1234/backup-configuration", { raw: JSON.stringify({ ...manualConfig(202743), pad: big }) });
    expect(api.status).toBe(400);
  });

  it("refuses JSON nested deeper than 32 levels on Identity and the control API", async () => {
    const { call, app } = testServer();
    const identity = await call("POST", "/v2.0/tokens", {
      token: null,
      raw: JSON.stringify(apiKeyBody()).replace(/}$/, `, "deep": ${nested(40)}}`),
    });
    expect(identity.status).toBe(400);
    expect(identity.body.badRequest.message).toContain("deeper than 32");
    const before = app.world.tenants.size;
    const admin = await call("POST", "/__admin/tenants", { token: null, raw: `{"agents": 1, "deep": ${nested(40)}}` });
    expect(admin.status).toBe(400);
    expect(app.world.tenants.size).toBe(before);
    const fault = await call("POST", "/__admin/faults", {
      token: null,
      raw: `{"kind":"latency","operationId":"listAgents","ms":1,"x":${nested(40)}}`,
    });
    expect(fault.status).toBe(400);
  });

  it("answers a chunked body over the limit before the client has finished sending it", async () => {
    const { port } = await listen();
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/v1.0/1234/backup-configuration",
          headers: { "X-Auth-Token": "demo-token", "Content-Type": "application/json", "Transfer-Encoding": "chunked" },
        },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on("error", reject);
      // 1.5 MB sent, and the request never ended: only a limit enforced while reading answers.
      req.write('{"pad":"');
      for (let i = 0; i < 24; i++) req.write("y".repeat(65_536));
      setTimeout(() => reject(new Error("no answer while the body was still open")), 8_000).unref();
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).errors[0].message).toBe("is larger than 1048576 bytes");
  });

  it("refuses a declared Content-Length over the limit on every route, before reading it", async () => {
    const { raw } = await listen();
    const body = JSON.stringify({ pad: big });
    for (const path of ["/v2.0/tokens", "/__admin/tenants", "/v1.0/1234/agent/enable"]) {
      const answer = await raw(
        "POST",
        path,
        { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)), "X-Auth-Token": "demo-token" },
        body,
      );
      expect(answer.status, path).toBe(400);
    }
  });

  it("stores only the fields an operation declares: undeclared ones never reach the command log", async () => {
    const file = join(dir, "strip.db");
    const { call, app } = testServer({ data: file });
    const marker = `UNDECLARED-${"z".repeat(2000)}`;
    const body = { ...manualConfig(202743), Junk: marker, Inclusions: [{ FilePath: "/etc", FileItemType: "Folder", Junk: marker }] };
    const created = await call("POST", "/v1.0/1234/backup-configuration", { body });
    expect(created.status).toBe(200);
    const fault = await call("POST", "/__admin/faults", {
      token: null,
      body: { kind: "latency", operationId: "listAgents", ms: 1, note: marker },
    });
    expect(fault.status).toBe(201);
    expect(fault.body).not.toHaveProperty("note");
    const tenant = await call("POST", "/__admin/tenants", { token: null, body: { agents: 1, Junk: marker } });
    expect(tenant.status).toBe(201);
    app.close();
    expect(readFileSync(file).includes("UNDECLARED-")).toBe(false);
    // What was declared is all there after a restart.
    const again = testServer({ data: file });
    const read = await again.call("GET", `/v1.0/1234/backup-configuration/${created.body.BackupConfigurationId}`);
    expect(read.body.Inclusions).toEqual([expect.objectContaining({ FilePath: "/etc" })]);
    again.app.close();
  });
});

describe("a web page cannot drive the server (issue item 6)", () => {
  it.each([
    ["text/plain", "text/plain;charset=UTF-8"],
    ["a form", "application/x-www-form-urlencoded"],
    ["no type", ""],
  ])("refuses a control-API write over the network sent as %s (415), and changes nothing", async (_what, type) => {
    const { app, raw } = await listen();
    const headers: Record<string, string> = type ? { "Content-Type": type } : {};
    const advance = await raw("POST", "/__admin/clock/advance", headers, JSON.stringify({ seconds: 3600 }));
    expect(advance.status).toBe(415);
    expect(JSON.parse(advance.text).errors).toEqual([{ in: "header", name: "Content-Type", message: "must be application/json" }]);
    expect(app.clock.now()).toBe(T0);
    const tenants = app.world.tenants.size;
    expect((await raw("POST", "/__admin/tenants", headers, "{}")).status).toBe(415);
    expect(app.world.tenants.size).toBe(tenants);
    expect((await raw("POST", "/__admin/reset", headers)).status).toBe(415);
    expect(
      (await raw("POST", "/__admin/faults", headers, JSON.stringify({ kind: "latency", operationId: "listAgents", ms: 1 }))).status,
    ).toBe(415);
    expect((await raw("GET", "/__admin/faults")).text).toBe("[]");
  });

  it("accepts the same writes as application/json, or with the admin token", async () => {
    const { app, raw } = await listen();
    expect(
      (await raw("POST", "/__admin/clock/advance", { "Content-Type": "application/json" }, JSON.stringify({ seconds: 60 }))).status,
    ).toBe(200);
    expect((await raw("POST", "/__admin/reset", { "Content-Type": "application/json" })).status).toBe(204);
    expect(app.clock.now()).toBe(T0 + 60_000);
    const withToken = await listen({ adminToken: "s3cret" });
    expect((await withToken.raw("POST", "/__admin/reset", { "X-Admin-Token": "s3cret" })).status).toBe(204);
    expect((await withToken.raw("POST", "/__admin/reset", { "X-Admin-Token": "wrong" })).status).toBe(401);
  });

  it("never answers CORS on the control API", async () => {
    const { raw } = await listen();
    const preflight = await raw("OPTIONS", "/__admin/reset", {
      Origin: "http://evil.example",
      "Access-Control-Request-Method": "POST",
      "Access-Control-Request-Headers": "content-type",
    });
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
    const res = await raw("POST", "/__admin/reset", { Origin: "http://evil.example", "Content-Type": "application/json" });
    expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("refuses a Host that is not a loopback name when asked to (403 problem), on every route", async () => {
    const { raw } = await listen({ allowedHosts: "loopback" });
    for (const [method, path, headers] of [
      ["GET", "/v1.0/1234/user/agents", { "X-Auth-Token": "demo-token" }],
      ["GET", "/__admin/health", {}],
      ["POST", "/__admin/reset", { "Content-Type": "application/json" }],
    ] as const) {
      const refused = await raw(method, path, { ...headers, Host: "evil.example:4010" });
      expect(refused.status, path).toBe(403);
      expect(JSON.parse(refused.text).errors).toEqual([{ in: "header", name: "Host", message: "must be a loopback name or address" }]);
    }
    const identity = await raw(
      "POST",
      "/v2.0/tokens",
      { "Content-Type": "application/json", Host: "rebound.example" },
      JSON.stringify(apiKeyBody()),
    );
    expect(identity.status).toBe(403);
    expect(JSON.parse(identity.text).forbidden.code).toBe(403);
    for (const host of ["localhost:4010", "127.0.0.1", "[::1]:4010", "api.localhost", "127.1.2.3:80"]) {
      expect((await raw("GET", "/v1.0/1234/user/agents", { "X-Auth-Token": "demo-token", Host: host })).status, host).toBe(200);
    }
  });

  it("keeps in-process calls working with the Host check on", async () => {
    const app = createServer({ clock: { start: T0, speed: 0 }, allowedHosts: "loopback" });
    const res = await app.request("http://reference.test/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
    expect(res.status).toBe(200);
  });

  it("builds the Identity catalog from the configured public address, never from Host", async () => {
    const { call } = testServer({ publicUrl: "http://127.0.0.1:4999/" });
    const res = await call("POST", "/v2.0/tokens", { token: null, body: apiKeyBody(), headers: { Host: "evil.example" } });
    expect(res.status).toBe(200);
    const urls = res.body.access.serviceCatalog.flatMap((s: { endpoints: Array<{ publicURL: string }> }) =>
      s.endpoints.map((e) => e.publicURL),
    );
    expect(urls.every((u: string) => u.startsWith("http://127.0.0.1:4999/"))).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain("evil.example");
    const overSocket = await listen({ publicUrl: "http://127.0.0.1:4999" });
    const answer = await overSocket.raw(
      "POST",
      "/v2.0/tokens",
      { "Content-Type": "application/json", Host: "evil.example" },
      JSON.stringify(apiKeyBody()),
    );
    expect(answer.text).not.toContain("evil.example");
    // Without publicUrl: the address the request arrived on, still not Host.
    const plain = await listen();
    const local = await plain.raw(
      "POST",
      "/v2.0/tokens",
      { "Content-Type": "application/json", Host: "evil.example" },
      JSON.stringify(apiKeyBody()),
    );
    expect(JSON.parse(local.text).access.serviceCatalog[0].endpoints[0].publicURL).toBe(`http://127.0.0.1:${plain.port}/v1.0/1234`);
  });
});

describe("bounded everything (issue item 7)", () => {
  it("refuses to move the clock past the latest virtual time, and every clock, reset and token call keeps working", async () => {
    const start = MAX_VIRTUAL_TIME - 400 * 86_400_000;
    const { call, advance, app } = testServer({ clock: { start, speed: 0 }, seed: "empty" });
    expect((await advance(366 * 86_400)).status).toBe(200);
    const refused = await advance(366 * 86_400);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].pointer).toBe("/seconds");
    expect(app.clock.now()).toBe(start + 366 * 86_400_000);
    const clock = await call("GET", "/__admin/clock", { token: null });
    expect(clock.status).toBe(200);
    expect(clock.body.iso.startsWith("9999-")).toBe(true);
    expect((await advance(34 * 86_400 - 1)).status).toBe(200);
    expect((await call("POST", "/__admin/reset", { token: null })).status).toBe(204);
    const tenant = await call("POST", "/__admin/tenants", { token: null, body: {} });
    expect(tenant.status).toBe(201);
    const token = await call("POST", "/v2.0/tokens", {
      token: null,
      body: { auth: { "RAX-KSKEY:apiKeyCredentials": { username: tenant.body.username, apiKey: tenant.body.apiKey } } },
    });
    expect(token.status).toBe(200);
    expect(token.body.access.token.expires).toBe("9999-12-31T23:59:59.999Z");
    // A running clock stops at the bound too.
    const running = createServer({ clock: { start: MAX_VIRTUAL_TIME - 1000, speed: 1e9 }, seed: "empty" });
    await new Promise((r) => setTimeout(r, 5));
    expect(running.clock.now()).toBe(MAX_VIRTUAL_TIME);
  });

  it("forgets expired Identity tokens", async () => {
    const { call, advance, app } = testServer();
    const issued: string[] = [];
    for (let i = 0; i < 20; i++)
      issued.push((await call("POST", "/v2.0/tokens", { token: null, body: apiKeyBody() })).body.access.token.id);
    expect(issued.every((t) => app.world.tokens.has(t))).toBe(true);
    await advance(25 * 3600);
    const fresh = (await call("POST", "/v2.0/tokens", { token: null, body: apiKeyBody() })).body.access.token.id;
    expect(issued.filter((t) => app.world.tokens.has(t))).toEqual([]);
    expect(app.world.tokens.has(fresh)).toBe(true);
    expect(app.world.tokens.has("demo-token")).toBe(true);
  });

  it(`refuses the configuration past ${MAX_CONFIGURATIONS_PER_TENANT} of an account with 409, and changes nothing`, async () => {
    const f = await tenantFixture();
    const tenant = f.app.world.tenants.get(f.tenant.tenantId)!;
    const id = await f.createConfig();
    const template = tenant.configs.get(id)!;
    // Fill the account directly: creating 10,000 over the API would make a slow test.
    for (let i = tenant.configs.size; i < MAX_CONFIGURATIONS_PER_TENANT; i++)
      tenant.configs.set(10_000_000 + i, { ...template, id: 10_000_000 + i, isDeleted: true });
    const refused = await f.c("POST", "/backup-configuration", {
      body: manualConfig(f.linux, { BackupConfigurationName: "one too many" }),
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(String(MAX_CONFIGURATIONS_PER_TENANT));
    expect(tenant.configs.size).toBe(MAX_CONFIGURATIONS_PER_TENANT);
  });

  it(`lists at most the newest ${MAX_ACTIVITY_ITEMS} activity items`, async () => {
    const f = await tenantFixture();
    await f.createConfig(manualConfig(f.linux, { Frequency: "Hourly", HourInterval: 1 }));
    await f.advance(1100 * 3600);
    const all = await f.c("GET", "/activity");
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(MAX_ACTIVITY_ITEMS);
    const times = all.body.map((a: { TimeOfActivity: string }) => Number(a.TimeOfActivity.slice(6, -2)));
    expect(times[0]).toBeGreaterThan(T0 + 1099 * 3_600_000 - 1);
    expect((await f.c("GET", `/system/activity/${f.linux}`)).body).toHaveLength(MAX_ACTIVITY_ITEMS);
  }, 60_000);
});

describe("problems and headers (issue item 9)", () => {
  it.each([
    ["403, another account", "GET", "/v1.0/5678/user/agents", {}, 403],
    ["403, the role", "POST", "/v1.0/1234/agent/delete", { token: "demo-observer-token", body: { MachineAgentId: 213564 } }, 403],
    ["404, an unknown agent", "GET", "/v1.0/1234/agent/999999", {}, 404],
    ["404, no such route", "GET", "/v1.0/1234/nothing-here", {}, 404],
    ["503, Prefer", "GET", "/v1.0/1234/user/agents", { headers: { Prefer: "code=503" } }, 503],
  ] as const)("gives a %s a non-empty errors list", async (_what, method, path, init, status) => {
    const { call } = testServer();
    const res = await call(method, path, init as Record<string, unknown>);
    expect(res.status).toBe(status);
    expect(res.body.errors.length).toBeGreaterThan(0);
    for (const item of res.body.errors) expect(item.message.length).toBeGreaterThan(0);
  });

  it("names the path parameter of a 404 and the header of a 503 fault", async () => {
    const { call } = testServer();
    expect((await call("GET", "/v1.0/1234/agent/999999")).body.errors).toEqual([
      { in: "path", name: "machineAgentId", message: "names nothing in this account" },
    ]);
    await call("POST", "/__admin/faults", { token: null, body: { kind: "status", operationId: "listAgents", status: 503, count: 1 } });
    const failed = await call("GET", "/v1.0/1234/user/agents");
    expect(failed.status).toBe(503);
    expect(failed.body.errors[0].message).toContain("fault scenario");
    expect((await call("GET", "/__admin/clock", { token: null })).status).toBe(200);
  });

  it("sends X-Content-Type-Options: nosniff on API, control API, Identity and docs answers, and the CSP on docs", async () => {
    const { app } = testServer();
    for (const [path, init] of [
      ["/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } }],
      ["/v1.0/1234/agent/1", {}],
      ["/__admin/health", {}],
      ["/openapi.json", {}],
      ["/docs/", {}],
      ["/v2.0/tokens", { method: "POST", body: JSON.stringify(apiKeyBody()) }],
    ] as const) {
      const res = await app.request(path, init as RequestInit);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
    }
    const docs = await app.request("/docs/");
    expect(docs.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("logs control characters escaped and a token placed in the path as [token]", async () => {
    const lines: string[] = [];
    const { app } = testServer({ log: (line) => lines.push(line) });
    await app.request("/v1.0/1234/agent/1%0AGET%20/forged%20200", { headers: { "X-Auth-Token": "demo-token" } });
    await app.request("/v1.0/demo-token/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
    await app.request("/4f3a2b1c9d8e7f6a5b4c3d2e1f0a9b8c/x");
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => !l.includes("\n"))).toBe(true);
    expect(lines[0]).toContain("\\x0a");
    expect(lines.join(" ")).not.toContain("demo-token");
    expect(lines[1]).toContain("/v1.0/[token]/user/agents");
    expect(lines[2]).toContain("/[token]/x");
  });
});
