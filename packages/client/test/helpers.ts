import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createServer, type ServerOptions } from "@cloud-backup/server";
import { expect } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { createBackupClient, type BackupClientOptions, type FetchLike } from "../src/index.js";

/** A fixed start for the virtual clock: Wednesday 2026-07-01 12:00 UTC. */
export const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);

/** The demo account of the reference server's default world. */
export const DEMO = {
  tenantId: "1234",
  token: "demo-token",
  username: "demo",
  apiKey: "demo-api-key",
  password: "demo-password",
  passphrase: "demo-passphrase",
} as const;

export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  requestHeaders: Headers;
}

export interface NewTenant {
  tenantId: string;
  token: string;
  agents: number[];
  username: string;
  apiKey: string;
  password: string;
}

/**
 * The reference server in-process on a frozen virtual clock, with a fetch that records every
 * exchange and runs every answer through the server's conformance checker.
 */
export function inProcessServer(options: ServerOptions = {}) {
  const app = createServer({ clock: { start: T0, speed: 0 }, ...options });
  const exchanges: Exchange[] = [];
  const problems: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const requestHeaders = new Headers(request.headers);
    const response = await app.fetch(request);
    const text = await response.clone().text();
    problems.push(...conformanceProblems(request.method, request.url, response.status, response.headers.get("content-type"), text));
    exchanges.push({ method: request.method, url: request.url, status: response.status, headers: response.headers, requestHeaders });
    return response;
  };
  async function admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await app.request(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.ok, `${method} ${path} -> ${response.status} ${text}`).toBe(true);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const advance = async (seconds: number) => {
    await admin("POST", "/__admin/clock/advance", { seconds });
  };
  const newTenant = (body: Record<string, unknown> = {}) => admin<NewTenant>("POST", "/__admin/tenants", body);
  /** A client of the demo account (or the given one) wired to the app without a socket. */
  const client = (overrides: Partial<BackupClientOptions> = {}) =>
    createBackupClient({
      baseUrl: "http://reference.test",
      token: DEMO.token,
      tenantId: DEMO.tenantId,
      fetch,
      ...overrides,
    } as BackupClientOptions);
  return { app, fetch, exchanges, problems, admin, advance, newTenant, client };
}

/**
 * The reference server on a real socket (127.0.0.1, a free port), its virtual clock frozen
 * at the real time so that Identity's token expiry agrees with the client's clock.
 * Call `close()` when done.
 */
export async function socketServer(options: ServerOptions = {}) {
  let url = "";
  // Identity's catalog names the address the server is told it is reached at.
  const app = createServer({ clock: { start: Date.now(), speed: 0 }, publicUrl: () => url, ...options });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
  url = `http://127.0.0.1:${port}`;
  async function admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(url + path, {
      method,
      // Control-API writes over the network must say application/json, with or without a body.
      headers: method === "GET" ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.ok, `${method} ${path} -> ${response.status} ${text}`).toBe(true);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const advance = async (seconds: number) => {
    await admin("POST", "/__admin/clock/advance", { seconds });
  };
  return { app, url, admin, advance, close };
}

/** A sleep that returns at once and records what was asked, optionally doing something each time. */
export function recordingSleep(onSleep?: (ms: number) => void | Promise<void>) {
  const delays: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    delays.push(ms);
    await onSleep?.(ms);
  };
  return { delays, sleep };
}

/** A valid weekly configuration body for a Linux agent. */
export function weeklyConfig(agentId: number, name = "Client Weekly Backup") {
  return {
    MachineAgentId: agentId,
    BackupConfigurationName: name,
    IsActive: true,
    VersionRetention: 30 as const,
    MissedBackupActionId: 1 as const,
    Frequency: "Weekly" as const,
    StartTimeHour: 7,
    StartTimeMinute: 30,
    StartTimeAmPm: "PM" as const,
    DayOfWeekId: 5,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "ops@example.com",
    NotifySuccess: true,
    NotifyFailure: true,
    Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" as const }],
    Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" as const }],
  };
}

/** A valid manual configuration body. */
export function manualConfig(agentId: number, path: string, name = "Client Manual Backup") {
  return {
    MachineAgentId: agentId,
    BackupConfigurationName: name,
    IsActive: true,
    VersionRetention: 30 as const,
    MissedBackupActionId: 1 as const,
    Frequency: "Manually" as const,
    StartTimeHour: null,
    StartTimeMinute: null,
    StartTimeAmPm: null,
    DayOfWeekId: null,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "ops@example.com",
    NotifySuccess: false,
    NotifyFailure: true,
    Inclusions: [{ FilePath: path, FileItemType: "Folder" as const }],
  };
}
