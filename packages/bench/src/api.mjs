// Building worlds through the public API and the control API (no private hooks).
import { http } from "./servers.mjs";

/**
 * @typedef {{ tenantId: string, token: string, agents: number[] }} BenchTenant
 */

/** Calls the API and throws unless the status is expected. */
export async function call(base, method, path, { token, body, expect = [200, 201, 204], timeoutMs = 600_000 } = {}) {
  const res = await http(base + path, {
    method,
    headers: { ...(token ? { "x-auth-token": token } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs,
  });
  if (!expect.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${res.body.slice(0, 500)}`);
  return res;
}

/** Creates a tenant with a fixed id (the same on every server, so paths match). */
export async function createTenant(base, tenantId, agents = 2) {
  const res = await call(base, "POST", "/__admin/tenants", { body: { tenantId, agents } });
  const t = JSON.parse(res.body);
  return /** @type {BenchTenant} */ ({ tenantId: t.tenantId, token: t.token, agents: t.agents });
}

/**
 * A valid configuration body for a Linux demo agent (the first agent of a bench tenant).
 * @param {number} agentId
 * @param {string} name
 * @param {{ hourly?: boolean }} [o]
 */
export function configBody(agentId, name, o = {}) {
  return {
    MachineAgentId: agentId,
    BackupConfigurationName: name,
    IsActive: true,
    VersionRetention: 30,
    MissedBackupActionId: 1,
    Frequency: o.hourly ? "Hourly" : "Manually",
    StartTimeHour: null,
    StartTimeMinute: null,
    StartTimeAmPm: null,
    DayOfWeekId: null,
    HourInterval: o.hourly ? 1 : null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "ops@example.com",
    NotifySuccess: false,
    NotifyFailure: true,
    Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" }],
    Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" }],
  };
}

/**
 * Creates `count` configurations through POST /backup-configuration, `concurrency` at a time
 * (one connection each). The first `hourly` of them run every hour; the rest are manual.
 * @param {string} base
 * @param {BenchTenant} tenant
 * @param {number} count
 * @param {{ concurrency?: number, hourly?: number, prefix?: string }} [o]
 * @returns {Promise<{ ids: number[], ms: number }>}
 */
export async function createConfigs(base, tenant, count, o = {}) {
  const started = performance.now();
  /** @type {number[]} */
  const ids = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const body = configBody(tenant.agents[0], `${o.prefix ?? "cfg"}-${i}`, { hourly: i < (o.hourly ?? 0) });
      const res = await fetch(`${base}/v1.0/${tenant.tenantId}/backup-configuration`, {
        method: "POST",
        headers: { "x-auth-token": tenant.token, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`creating configuration ${i} answered ${res.status}: ${text.slice(0, 300)}`);
      ids[i] = JSON.parse(text).BackupConfigurationId;
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, o.concurrency ?? 8) }, worker));
  return { ids, ms: performance.now() - started };
}

/** Moves the server's virtual clock forward; resolves with the time the call took (ms). */
export async function advance(base, seconds) {
  const started = performance.now();
  await call(base, "POST", "/__admin/clock/advance", { body: { seconds } });
  return performance.now() - started;
}

/** Starts a manual backup of a configuration; resolves with the backup id. */
export async function startBackup(base, tenant, configId) {
  const res = await call(base, "POST", `/v1.0/${tenant.tenantId}/backup/action-requested`, {
    token: tenant.token,
    body: { Action: "StartManual", Id: configId },
  });
  return Number(res.body);
}

/**
 * Times `count` sequential requests (one connection each, like a single client).
 * @returns {Promise<{ median: number, max: number, samples: number, bytes: number, status: number, body: string }>}
 */
export async function timeRequest(base, method, path, { token, body, count = 5, budgetMs = 20_000 } = {}) {
  const times = [];
  let last = { status: 0, body: "" };
  const deadline = performance.now() + budgetMs;
  while (times.length < count && (times.length === 0 || performance.now() < deadline)) {
    const started = performance.now();
    last = await http(base + path, {
      method,
      headers: token ? { "x-auth-token": token } : {},
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: 600_000,
    });
    times.push(performance.now() - started);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor((sorted.length - 1) / 2)],
    max: sorted.at(-1),
    samples: times.length,
    bytes: Buffer.byteLength(last.body),
    status: last.status,
    body: last.body,
  };
}
