// A CI-like session replay: what one tenant's test run does to a mock server, timed end to
// end. On the reference server: a new tenant, its agents, a configuration created and read, a
// manual backup started and polled, the virtual clock advanced until it completes, then its
// report, the activity, the list, the completed backups, and the configuration deleted. On
// json-server, the same calls as plain CRUD on its collections (the test moves the backup's
// state itself, as a test against a CRUD mock has to). Many sessions run at once, each on
// its own keep-alive connection.
import { Agent, request } from "node:http";
import { configBody } from "./api.mjs";

/** One keep-alive JSON request; resolves with status and parsed body (or text). */
function jsonRequest(agent, base, method, path, { token, body } = {}) {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = {
      ...(token ? { "x-auth-token": token } : {}),
      ...(text !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(text) } : {}),
    };
    const req = request(base + path, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        let parsed = raw;
        try {
          parsed = raw ? JSON.parse(raw) : undefined;
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(60_000, () => req.destroy(new Error(`timed out: ${method} ${path}`)));
    req.end(text);
  });
}

/**
 * One session against the reference server; resolves with the number of requests it sent.
 * @param {(method: string, path: string, o?: object) => Promise<{ status: number, body: any }>} send
 */
async function referenceSession(send, n) {
  let requests = 0;
  const call = async (method, path, o = {}, expect = [200, 201, 204]) => {
    requests++;
    const res = await send(method, path, o);
    if (!expect.includes(res.status))
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
    return res.body;
  };
  const tenant = await call("POST", "/__admin/tenants", { body: { agents: 2 } });
  const P = `/v1.0/${tenant.tenantId}`;
  const token = tenant.token;
  const agent = tenant.agents[0];
  await call("GET", `${P}/user/agents`, { token });
  const config = await call("POST", `${P}/backup-configuration`, { token, body: configBody(agent, `session-${n}`) });
  const id = config.BackupConfigurationId;
  await call("GET", `${P}/backup-configuration/${id}`, { token });
  // Other sessions move the shared clock too, so the agent may have gone idle: wake it as a test would.
  let backupId;
  for (let attempt = 0; attempt < 5 && backupId === undefined; attempt++) {
    requests++;
    const res = await send("POST", `${P}/backup/action-requested`, { token, body: { Action: "StartManual", Id: id } });
    if (res.status === 200) backupId = res.body;
    else if (res.status === 403) {
      await call("POST", `${P}/user/wakeupagents`, { token });
      await call("POST", "/__admin/clock/advance", { body: { seconds: 15 } });
    } else throw new Error(`StartManual answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
  }
  if (backupId === undefined) throw new Error("the session's agent never came online");
  for (let i = 0; i < 3; i++) await call("GET", `${P}/backup/${backupId}`, { token });
  for (let i = 0; i < 20; i++) {
    await call("POST", "/__admin/clock/advance", { body: { seconds: 60 } });
    const state = (await call("GET", `${P}/backup/${backupId}`, { token })).CurrentState;
    if (state === "Completed" || state === "CompletedWithErrors") break;
  }
  await call("GET", `${P}/backup/report/${backupId}`, { token });
  await call("GET", `${P}/activity`, { token });
  await call("GET", `${P}/backup-configuration`, { token });
  await call("GET", `${P}/backup/completed/${id}`, { token });
  await call("DELETE", `${P}/backup-configuration/${id}`, { token });
  return requests;
}

/** The same session as CRUD calls on json-server's collections. */
async function jsonServerSession(send, n) {
  let requests = 0;
  const call = async (method, path, o = {}) => {
    requests++;
    const res = await send(method, path, o);
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}`);
    return res.body;
  };
  const tenant = await call("POST", "/tenants", { body: { name: `session-${n}` } });
  const agent = await call("POST", "/agents", { body: { tenantId: tenant.id, MachineName: "web" } });
  await call("GET", `/agents?tenantId=${tenant.id}`);
  const config = await call("POST", "/configurations", { body: { ...configBody(agent.id, `session-${n}`), tenantId: tenant.id } });
  await call("GET", `/configurations/${config.id}`);
  const backup = await call("POST", "/backups", {
    body: { configurationId: config.id, tenantId: tenant.id, CurrentState: "StartRequested" },
  });
  for (let i = 0; i < 3; i++) await call("GET", `/backups/${backup.id}`);
  await call("PATCH", `/backups/${backup.id}`, { body: { CurrentState: "Completed" } });
  await call("GET", `/backups/${backup.id}`);
  await call("POST", "/activity", { body: { tenantId: tenant.id, BackupId: backup.id, Type: "Backup" } });
  await call("GET", `/activity?tenantId=${tenant.id}`);
  await call("GET", `/configurations?tenantId=${tenant.id}`);
  await call("GET", `/backups?configurationId=${config.id}&CurrentState=Completed`);
  await call("DELETE", `/configurations/${config.id}`);
  return requests;
}

/** Collections json-server needs for the session (empty). */
export const JSON_SERVER_SESSION_DB = { tenants: [], agents: [], configurations: [], backups: [], activity: [] };

/**
 * Runs sessions against `base` with `concurrency` at a time for about `seconds`, then waits for
 * the ones in flight. Resolves with the session times (ms), requests sent and wall time.
 * @param {{ base: string, kind: "reference" | "json-server", seconds: number, concurrency: number }} o
 */
export async function runSessions(o) {
  const session = o.kind === "reference" ? referenceSession : jsonServerSession;
  const times = [];
  let requests = 0;
  let failures = 0;
  let firstError;
  let n = 0;
  const started = performance.now();
  const end = started + o.seconds * 1000;
  const worker = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method, path, opts) => jsonRequest(agent, o.base, method, path, opts);
    try {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          const sent = await session(send, `${process.pid}-${++n}-${Date.now().toString(36)}`);
          requests += sent;
          times.push(performance.now() - t0);
        } catch (error) {
          failures++;
          firstError ??= /** @type {Error} */ (error).message;
          if (failures > 20) break;
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const wallMs = performance.now() - started;
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
  return {
    sessions: times.length,
    failures,
    firstError,
    requests,
    wallMs,
    p50: pct(50),
    p99: pct(99),
    perSecond: times.length / (wallMs / 1000),
    rps: requests / (wallMs / 1000),
  };
}
