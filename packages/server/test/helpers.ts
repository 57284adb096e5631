import { expect } from "vitest";
import { createServer, type ServerOptions } from "../src/index.js";
import { conformanceProblems } from "./conformance.js";

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
    const res = await call<{ tenantId: string; token: string; agents: number[]; tokens: Record<string, string> }>("POST", "/__admin/tenants", { token: null, body });
    expect(res.status).toBe(201);
    return res.body;
  }
  return { app, call, advance, newTenant };
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
