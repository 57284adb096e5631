/**
 * Faults through MSW: per request with `Prefer` (code, example, latency, fault=reset) and per
 * scenario through the control API (`/__admin/faults`), seen by @cloud-backup/client built as
 * in production.
 */
import { BackupApiError, BackupNetworkError, createBackupClient } from "@cloud-backup/client";
import { describe, expect, it } from "vitest";
import { DEMO, manualConfig, useCloudBackup, WEB2 } from "./helpers.js";

const { handlers, settled } = useCloudBackup();
const DFW = "https://dfw.backup.api.rackspacecloud.com";
const production = () =>
  createBackupClient({
    auth: { username: DEMO.username, apiKey: DEMO.apiKey },
    region: "dfw",
    sleep: async () => {},
    retry: { retries: 3, baseDelayMs: 1 },
  });
const admin = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${DFW}${path}`, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.ok, `${method} ${path} -> ${res.status}`).toBe(true);
  return res.status === 204 ? undefined : res.json();
};
const api = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${DFW}/v1.0/${DEMO.tenantId}${path}`, { headers: { "X-Auth-Token": DEMO.token, ...headers } });

describe("Prefer, per request", () => {
  it("code=503 answers 503 with Retry-After and a problem body; the client retries, then reports it", async () => {
    const res = await api("/user/agents", { Prefer: "code=503" });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 503 });

    const client = production();
    const error = await client.listAgents({ headers: { Prefer: "code=503" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupApiError);
    expect((error as BackupApiError).status).toBe(503);
    const calls = (await settled()).filter((e) => e.url.endsWith("/user/agents") && e.url.startsWith(DFW) && e.status === 503);
    expect(calls.length).toBe(1 + 4); // the raw fetch, then the client's first try and 3 retries
  });

  it("code= with a status the operation does not document is ignored", async () => {
    const res = await api("/user/agents", { Prefer: "code=418" });
    expect(res.status).toBe(200);
  });

  it("example= answers the named example of the description", async () => {
    const res = await api("/agent/213564", { Prefer: "example=GetAgentResponseExample" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { MachineAgentId: number };
    const real = (await (await api("/agent/213564")).json()) as { MachineAgentId: number };
    expect(body).not.toEqual(real); // the example, not the demo world's agent
  });

  it("latency= delays the answer", async () => {
    const started = performance.now();
    const res = await api("/user/agents", { Prefer: "latency=150" });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("fault=reset drops the connection: fetch rejects, and the client reports a network error", async () => {
    await expect(api("/user/agents", { Prefer: "fault=reset" })).rejects.toThrow(TypeError);
    const error = await production()
      .listAgents({ headers: { Prefer: "fault=reset" }, retry: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupNetworkError);
  });
});

describe("fault scenarios, through the control API", () => {
  it("the next N calls of an operation answer 503: the client retries through them", async () => {
    const fault = (await admin("POST", "/__admin/faults", {
      kind: "status",
      operationId: "listAgents",
      status: 503,
      count: 2,
      retryAfter: 0,
    })) as { id: string };
    expect(fault.id).toBeTruthy();
    const agents = await production().listAgents();
    expect(agents.length).toBeGreaterThan(0);
    const statuses = (await settled()).filter((e) => e.url.endsWith("/user/agents")).map((e) => e.status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(await admin("GET", "/__admin/faults")).toEqual([]); // used up
  });

  it("backups of a configuration fail; an offline agent cannot start one; reset() clears both", async () => {
    const client = production();
    const config = await client.createBackupConfiguration({ body: manualConfig(WEB2) });
    await admin("POST", "/__admin/faults", { kind: "backupFailure", backupConfigurationId: config.BackupConfigurationId, percent: 100 });
    const backupId = await client.requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
    const failed = await client.waitForBackup(backupId, { pollMs: 1, tick: () => void handlers.clock.advance(30), timeoutMs: 60_000 });
    expect(failed.CurrentState).toBe("Failed");

    await admin("POST", "/__admin/faults", { kind: "agentOffline", machineAgentId: WEB2 });
    expect((await client.getAgent({ machineAgentId: WEB2 })).Status).toBe("Offline");
    const refused = await client
      .requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BackupApiError);
    expect((refused as BackupApiError).status).toBe(403);
    expect(((await admin("GET", "/__admin/faults")) as unknown[]).length).toBe(2);

    handlers.reset();
    expect(await admin("GET", "/__admin/faults")).toEqual([]);
    expect((await client.getAgent({ machineAgentId: WEB2 })).Status).toBe("Online");
  });
});
