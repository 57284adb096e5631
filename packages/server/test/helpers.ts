import { expect } from "vitest";
import { createServer, type ServerOptions } from "../src/node/index.js";
import { conformanceProblems } from "@cloud-backup/spec/validate";

/** A fixed start for the virtual clock: Wednesday 2026-07-01 12:00 UTC. */
export const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A server on a frozen clock, and a `call` that checks every answer against the spec. */
export function testServer(options: ServerOptions = {}) {
  const app = createServer({ clock: { start: T0, speed: 0 }, ...options });
  async function call<T = any>(
    method: string,
    path: string,
    init: { token?: string | null; body?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? "demo-token" : init.token;
    if (token !== null) headers["X-Auth-Token"] = token;
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    if (body !== undefined) headers["Content-Type"] = init.contentType ?? "application/json";
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    const problems = conformanceProblems(method, path, res.status, res.headers.get("content-type"), text);
    expect(problems, `${method} ${path} -> ${res.status} ${text.slice(0, 300)}`).toEqual([]);
    const type = res.headers.get("content-type") ?? "";
    return { status: res.status, body: text && type.includes("json") ? JSON.parse(text) : text, headers: res.headers };
  }
  const advance = async (seconds: number) => call("POST", "/__admin/clock/advance", { token: null, body: { seconds } });
  async function newTenant(body: Record<string, unknown> = {}) {
    const res = await call<{ tenantId: string; token: string; agents: number[]; tokens: Record<string, string> }>(
      "POST",
      "/__admin/tenants",
      { token: null, body },
    );
    expect(res.status).toBe(201);
    return res.body;
  }
  /** Wakes the token's agents and waits the wake-up delay (15 s of virtual time). */
  async function wake(token = "demo-token") {
    expect((await call("POST", "/v1.0/user/wakeupagents", { token })).status).toBe(200);
    await advance(15);
  }
  return { app, call, advance, newTenant, wake };
}

/** A valid weekly configuration body for an agent. */
export function weeklyConfig(agentId: number, overrides: Record<string, unknown> = {}) {
  return {
    MachineAgentId: agentId,
    BackupConfigurationName: "Weekly Website Backup",
    IsActive: true,
    VersionRetention: 30,
    MissedBackupActionId: 1,
    Frequency: "Weekly",
    StartTimeHour: 7,
    StartTimeMinute: 30,
    StartTimeAmPm: "PM",
    DayOfWeekId: 5,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "ops@example.com",
    NotifySuccess: true,
    NotifyFailure: true,
    Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" }],
    Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" }],
    ...overrides,
  };
}

/** A valid manual (unscheduled) configuration body for a Linux agent. */
export function manualConfig(agentId: number, overrides: Record<string, unknown> = {}) {
  return weeklyConfig(agentId, {
    BackupConfigurationName: "Manual Backup",
    Frequency: "Manually",
    StartTimeHour: null,
    StartTimeMinute: null,
    StartTimeAmPm: null,
    DayOfWeekId: null,
    HourInterval: null,
    Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" }],
    Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" }],
    ...overrides,
  });
}

/** Epoch milliseconds of a Microsoft JSON date (`/Date(1357817400000)/`). */
export function msOf(date: string): number {
  const match = /^\/Date\((-?\d+)\)\/$/.exec(date);
  if (!match) throw new Error(`not a Microsoft JSON date: ${date}`);
  return Number(match[1]);
}

/** Path parameter values that exist in the default world. */
export const DEFAULT_PARAMS: Record<string, string> = {
  tenant_id: "1234",
  machineAgentId: "213564",
  agentId: "213564",
  hostServerId: "87c3b6e1-fb1a-41f9-91e5-313ae35a5a06",
  backupConfigurationId: "180000",
  backupId: "400000",
  restoreId: "20000",
};

/** Fills an OpenAPI path template (`/v1.0/{tenant_id}/agent/{machineAgentId}`) with values. */
export function fillPath(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(values[name] ?? DEFAULT_PARAMS[name] ?? "1")));
}

/** The options `call` takes. */
export type CallInit = NonNullable<Parameters<ReturnType<typeof testServer>["call"]>[2]>;

/**
 * A test server and a fresh tenant with two online agents (`linux`, then `windows`), with
 * `c` calling the tenant's paths with its token, and shortcuts for the common setup steps.
 */
export async function tenantFixture(options: ServerOptions = {}, tenantBody: Record<string, unknown> = {}) {
  const server = testServer(options);
  const tenant = await server.newTenant(tenantBody);
  const P = `/v1.0/${tenant.tenantId}`;
  const token = tenant.token;
  const [linux, windows] = tenant.agents as [number, number];
  const c = <T = any>(method: string, path: string, init: CallInit = {}) => server.call<T>(method, `${P}${path}`, { token, ...init });
  async function createConfig(body: Record<string, unknown> = manualConfig(linux)): Promise<number> {
    const res = await c("POST", "/backup-configuration", { body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.BackupConfigurationId;
  }
  /** Starts a manual backup and lets the clock run `seconds` (enough to finish by default). */
  async function runBackup(configId: number, seconds = 120): Promise<number> {
    const res = await c("POST", "/backup/action-requested", { body: { Action: "StartManual", Id: configId } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    if (seconds > 0) await server.advance(seconds);
    return res.body;
  }
  async function createRestore(backupId: number, overrides: Record<string, unknown> = {}): Promise<number> {
    const res = await c("PUT", "/restore", {
      body: {
        BackupId: backupId,
        BackupMachineId: linux,
        DestinationMachineId: linux,
        DestinationPath: "/restored",
        OverwriteFiles: false,
        ...overrides,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.RestoreId;
  }
  async function publicKey(agentId: number): Promise<{ ModulusHex: string; ExponentHex: string | number }> {
    return (await c("GET", `/agent/${agentId}`)).body.PublicKey;
  }
  return { ...server, tenant, P, token, linux, windows, c, createConfig, runBackup, createRestore, publicKey };
}
export type TenantFixture = Awaited<ReturnType<typeof tenantFixture>>;
