/**
 * A few of the same cases over a real socket: `createServer()` served by @hono/node-server on
 * 127.0.0.1, called with the global fetch, every answer checked against the spec.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, encryptPassphrase, type ServerOptions } from "../src/index.js";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { manualConfig, T0 } from "./helpers.js";

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((close) => close()));
});

interface Init {
  token?: string | null;
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

async function listen(options: ServerOptions = {}) {
  const app = createServer({ clock: { start: T0, speed: 0 }, ...options });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  running.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  async function call(method: string, path: string, init: Init = {}) {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? "demo-token" : init.token;
    if (token !== null) headers["X-Auth-Token"] = token;
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined) headers["Content-Type"] = init.contentType ?? "application/json";
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    expect(
      conformanceProblems(method, path, res.status, res.headers.get("content-type"), text),
      `${method} ${path} -> ${res.status} ${text.slice(0, 300)}`,
    ).toEqual([]);
    const json = text && (res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
    return { status: res.status, body: json, headers: res.headers };
  }
  return { app, base, call };
}

describe("over a socket", () => {
  it("serves reads with and without the tenant in the path", async () => {
    const { call } = await listen();
    const agents = await call("GET", "/v1.0/1234/user/agents");
    expect(agents.status).toBe(200);
    expect(agents.body).toHaveLength(4);
    expect((await call("GET", "/v1.0/agent/213564")).body.MachineAgentId).toBe(213564);
    expect((await call("GET", "/v1.0/1234/backup/availableforrestore")).status).toBe(200);
  });

  it("answers errors as problems with the request id", async () => {
    const { call } = await listen();
    const noToken = await call("GET", "/v1.0/1234/user/agents", { token: null });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("content-type")).toContain("application/problem+json");
    const bad = await call("POST", "/v1.0/1234/agent/enable", { raw: "{", headers: { "X-Request-Id": "sock-1" } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-request-id")).toBe("sock-1");
    expect(bad.body).toMatchObject({ requestId: "sock-1", errors: [{ in: "body", pointer: "" }] });
    expect((await call("GET", "/v1.0/1234/agent/0x10")).status).toBe(400);
    expect((await call("GET", "/v1.0/5678/user/agents")).status).toBe(403);
    expect((await call("GET", "/v1.0/1234/agent/999999")).status).toBe(404);
    expect((await call("GET", "/v1.0/1234/nothing/here")).status).toBe(404);
  });

  it("accepts the form-encoded log level change", async () => {
    const { call, app } = await listen();
    const res = await call("PUT", "/v1.0/1234/agent/logging", {
      raw: "MachineAgentId=202743&LoggingLevelId=6",
      contentType: "application/x-www-form-urlencoded",
    });
    expect([200, 204]).toContain(res.status);
    expect(app.world.tenants.get("1234")!.agents.get(202743)!.logLevel).toBe(6);
  });

  it("runs a backup and a restore on the virtual clock, moved by the control API", async () => {
    const { call } = await listen();
    const config = await call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(202743, { BackupConfigurationName: "over the wire" }),
    });
    expect(config.status).toBe(200);
    const started = await call("POST", "/v1.0/1234/backup/action-requested", {
      body: { Action: "StartManual", Id: config.body.BackupConfigurationId },
    });
    expect(started.status).toBe(200);
    expect((await call("POST", "/__admin/clock/advance", { token: null, body: { seconds: 120 } })).body.now).toBe(T0 + 120_000);
    expect((await call("GET", `/v1.0/1234/backup/report/${started.body}`)).body).toMatchObject({ State: "Completed", FilesSearched: "5" });
    const restore = await call("PUT", "/v1.0/1234/restore", {
      body: { BackupId: started.body, BackupMachineId: 202743, DestinationMachineId: 202743, DestinationPath: "/r", OverwriteFiles: false },
    });
    expect(
      (await call("POST", "/v1.0/1234/restore/action-requested", { body: { Action: "StartManual", Id: restore.body.RestoreId } })).status,
    ).toBe(204);
    await call("POST", "/__admin/clock/advance", { token: null, body: { seconds: 120 } });
    expect((await call("GET", `/v1.0/1234/restore/${restore.body.RestoreId}`)).body.RestoreStateId).toBe(3);
  });

  it("starts an encrypted restore with a passphrase encrypted with the restore's key", async () => {
    const { call } = await listen();
    const [latest] = (await call("GET", "/v1.0/1234/backup/completed/180001")).body;
    const restore = (
      await call("PUT", "/v1.0/1234/restore", {
        body: {
          BackupId: latest.BackupId,
          BackupMachineId: 95874,
          DestinationMachineId: 95874,
          DestinationPath: "D:\\r",
          OverwriteFiles: false,
        },
      })
    ).body;
    const start = (passphrase: string) =>
      call("POST", "/v1.0/1234/restore/action-requested", {
        body: { Action: "StartManual", Id: restore.RestoreId, EncryptedPassword: encryptPassphrase(restore.PublicKey, passphrase) },
      });
    expect((await start("wrong")).status).toBe(400);
    expect((await start("demo-passphrase")).status).toBe(204);
  });

  it("answers concurrent requests, each conforming", async () => {
    const { call } = await listen();
    const paths = [
      "/v1.0/1234/user/agents",
      "/v1.0/1234/activity",
      "/v1.0/1234/backup-configuration",
      "/v1.0/agent/213564",
      "/v1.0/1234/agent/abc",
    ];
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => call("GET", paths[i % paths.length]!)));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 40 }, (_, i) => (i % paths.length === 4 ? 400 : 200)));
  });

  it("lets a loopback caller use the control API when no admin token is set", async () => {
    const { call } = await listen();
    expect((await call("GET", "/__admin/health", { token: null })).status).toBe(200);
  });

  it("requires X-Admin-Token on the control API when an admin token is set", async () => {
    const { call } = await listen({ adminToken: "s3cret-admin" });
    for (const [method, path, body] of [
      ["GET", "/__admin/health", undefined],
      ["GET", "/__admin/clock", undefined],
      ["POST", "/__admin/clock/advance", { seconds: 60 }],
      ["POST", "/__admin/tenants", {}],
      ["GET", "/__admin/faults", undefined],
      ["POST", "/__admin/reset", undefined],
    ] as const) {
      const missing = await call(method, path, { token: null, ...(body ? { body } : {}) });
      expect(missing.status, `${method} ${path} without the admin token`).toBe(401);
      expect(missing.body.errors).toEqual([expect.objectContaining({ in: "header", name: "X-Admin-Token" })]);
      const wrong = await call(method, path, { token: null, headers: { "X-Admin-Token": "guess" }, ...(body ? { body } : {}) });
      expect(wrong.status, `${method} ${path} with a wrong admin token`).toBe(401);
    }
    // Nothing above took effect.
    expect((await call("GET", "/__admin/clock", { token: null, headers: { "X-Admin-Token": "s3cret-admin" } })).body.now).toBe(T0);
    const health = await call("GET", "/__admin/health", { token: null, headers: { "X-Admin-Token": "s3cret-admin" } });
    expect(health.status).toBe(200);
    expect(health.body.status).toBe("ok");
    const tenant = await call("POST", "/__admin/tenants", { token: null, headers: { "X-Admin-Token": "s3cret-admin" }, body: {} });
    expect(tenant.status).toBe(201);
    // The Cloud Backup API itself does not need the admin token.
    expect((await call("GET", `/v1.0/${tenant.body.tenantId}/user/agents`, { token: tenant.body.token })).status).toBe(200);
  });
});
