import { describe, expect, it } from "vitest";
import {
  BackupApiError,
  BackupError,
  BackupNetworkError,
  BackupTimeoutError,
  createBackupClient,
  type FetchLike,
  formatMsDate,
  parseMsDate,
  parseRetryAfter,
  type Region,
  regionBaseUrl,
} from "../src/index.js";
import { inProcessServer, recordingSleep } from "./helpers.js";

/** A fetch that answers from a list and records the requests. */
function scriptedFetch(answers: Array<(request: Request) => Response | Promise<Response>>) {
  const requests: Request[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    requests.push(request);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (!answer) throw new Error("no answer scripted");
    return answer(request);
  };
  return { fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });
const problem = (status: number, headers: Record<string, string> = {}) =>
  json(
    status,
    { type: "about:blank", title: "Service Unavailable", status, detail: "try later", requestId: "body-id" },
    { "x-request-id": `req-${status}`, ...headers },
  );

describe("createBackupClient", () => {
  it.each<[Region, string]>([
    ["dfw", "https://dfw.backup.api.rackspacecloud.com"],
    ["ord", "https://ord.backup.api.rackspacecloud.com"],
    ["iad", "https://iad.backup.api.rackspacecloud.com"],
    ["lon", "https://lon.backup.api.rackspacecloud.com"],
    ["hkg", "https://hkg.backup.api.rackspacecloud.com"],
    ["SYD", "https://syd.backup.api.rackspacecloud.com"],
  ])("sends calls for region %s to %s", async (region, base) => {
    const { fetch, requests } = scriptedFetch([() => json(200, [])]);
    const client = createBackupClient({ region, token: "t", tenantId: "42", fetch });
    await client.listAgents();
    expect(regionBaseUrl(region)).toBe(base);
    expect(requests[0]!.url).toBe(`${base}/v1.0/42/user/agents`);
  });

  it("rejects an unknown region", () => {
    expect(() => createBackupClient({ region: "mars" as Region, token: "t", tenantId: "42" })).toThrow(RangeError);
  });

  it("accepts a base URL that already ends with /v1.0/{tenant}", async () => {
    const { fetch, requests } = scriptedFetch([() => json(200, [])]);
    const client = createBackupClient({ baseUrl: "http://api.test/v1.0/42/", token: "t", tenantId: "42", fetch });
    await client.listAgents();
    expect(requests[0]!.url).toBe("http://api.test/v1.0/42/user/agents");
  });

  it("refuses a static token without a tenant or an endpoint", () => {
    expect(() => createBackupClient({ baseUrl: "http://x", token: "t" } as never)).toThrow(/tenantId/);
    expect(() => createBackupClient({ token: "t", tenantId: "1" } as never)).toThrow(/baseUrl/);
  });

  it("sends X-Auth-Token, the default User-Agent and JSON bodies", async () => {
    const { fetch, requests } = scriptedFetch([() => new Response(null, { status: 204 })]);
    const client = createBackupClient({ baseUrl: "http://api.test", token: "secret", tenantId: "42", fetch });
    await client.enableAgent({ body: { MachineAgentId: 7, Enable: true } });
    const request = requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.headers.get("x-auth-token")).toBe("secret");
    expect(request.headers.get("user-agent")).toBe("cloud-backup-client/0.1.0");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(await request.json()).toEqual({ MachineAgentId: 7, Enable: true });
  });

  it("sends a custom User-Agent and extra headers", async () => {
    const { fetch, requests } = scriptedFetch([() => json(200, [])]);
    const client = createBackupClient({ baseUrl: "http://api.test", token: "t", tenantId: "42", fetch, userAgent: "my-tool/2.0" });
    await client.listAgents({ headers: { "X-Request-Id": "abc" } });
    expect(requests[0]!.headers.get("user-agent")).toBe("my-tool/2.0");
    expect(requests[0]!.headers.get("x-request-id")).toBe("abc");
  });

  it("encodes path parameters", async () => {
    const { fetch, requests } = scriptedFetch([() => json(200, {})]);
    const client = createBackupClient({ baseUrl: "http://api.test", token: "t", tenantId: "42", fetch });
    await client.getAgentByHostServer({ hostServerId: "a b/c" });
    expect(requests[0]!.url).toBe("http://api.test/v1.0/42/agent/server/a%20b%2Fc");
  });

  it("refuses a call without a required path parameter before sending it", async () => {
    const { fetch, requests } = scriptedFetch([() => json(200, {})]);
    const client = createBackupClient({ baseUrl: "http://api.test", token: "t", tenantId: "42", fetch });
    await expect(client.getAgent({} as never)).rejects.toThrow(/machineAgentId/);
    expect(requests).toHaveLength(0);
  });

  it("exposes the raw openapi-fetch client with the same authentication", async () => {
    const server = inProcessServer();
    const client = server.client();
    const { data, error, response } = await client.raw.GET("/v1.0/{tenant_id}/agent/{machineAgentId}", {
      params: { path: { tenant_id: "1234", machineAgentId: 202743 } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.MachineName).toBe("web2");
    const missing = await client.raw.GET("/v1.0/{tenant_id}/agent/{machineAgentId}", {
      params: { path: { tenant_id: "1234", machineAgentId: 1 } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.title).toBe("Not Found");
    expect(server.exchanges.map((e) => e.requestHeaders.get("x-auth-token"))).toEqual(["demo-token", "demo-token"]);
  });
});

describe("errors", () => {
  it("throws BackupApiError with the status, operation, problem and request id", async () => {
    const server = inProcessServer();
    const client = server.client();
    const error = await client.getAgent({ machineAgentId: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupApiError);
    expect(error).toBeInstanceOf(BackupError);
    expect(error).not.toBeInstanceOf(BackupNetworkError);
    const apiError = error as BackupApiError;
    expect(apiError).toMatchObject({ status: 404, operationId: "getAgent", method: "GET", retryAfter: undefined });
    expect(apiError.problem).toMatchObject({ title: "Not Found", status: 404, detail: "Agent 1 does not exist in this account." });
    expect(apiError.requestId).toBe(server.exchanges[0]!.headers.get("x-request-id"));
    expect(apiError.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(apiError.message).toBe("getAgent answered 404: Agent 1 does not exist in this account.");
  });

  it("lists each field problem of a 400", async () => {
    const server = inProcessServer();
    const client = server.client();
    const error = (await client
      .enableAgent({ body: { MachineAgentId: "x" as never, Enable: true } })
      .catch((e: unknown) => e)) as BackupApiError;
    expect(error.status).toBe(400);
    expect(error.problem?.errors?.[0]).toMatchObject({ in: "body", pointer: "/MachineAgentId" });
  });

  it("reads Retry-After in seconds or as a date", () => {
    expect(parseRetryAfter("7")).toBe(7);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter("Wed, 01 Jul 2026 12:00:30 GMT", Date.UTC(2026, 6, 1, 12, 0, 0))).toBe(30);
  });

  it("throws BackupNetworkError when fetch fails, keeping the cause", async () => {
    const cause = new TypeError("fetch failed");
    const { fetch } = scriptedFetch([() => Promise.reject(cause)]);
    const client = createBackupClient({ baseUrl: "http://api.test", token: "t", tenantId: "42", fetch, retry: false });
    const error = await client.listAgents().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupNetworkError);
    expect(error).not.toBeInstanceOf(BackupApiError);
    expect((error as BackupNetworkError).cause).toBe(cause);
    expect((error as BackupNetworkError).message).toBe("GET http://api.test/v1.0/42/user/agents failed: fetch failed");
  });

  it("throws BackupTimeoutError when an answer takes longer than timeoutMs", async () => {
    const { fetch } = scriptedFetch([() => new Promise<Response>(() => {})]);
    const client = createBackupClient({ baseUrl: "http://api.test", token: "t", tenantId: "42", fetch });
    const error = await client.listAgents({ timeoutMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupTimeoutError);
    expect(error).not.toBeInstanceOf(BackupNetworkError);
    expect(error).toMatchObject({ timeoutMs: 20, operationId: "listAgents" });
  });

  it("times out with a latency fault on the reference server", async () => {
    const server = inProcessServer();
    await server.admin("POST", "/__admin/faults", { kind: "latency", operationId: "getAgent", ms: 300 });
    const client = server.client({ timeoutMs: 30 });
    await expect(client.getAgent({ machineAgentId: 213564 })).rejects.toBeInstanceOf(BackupTimeoutError);
    // Another operation is not slowed down.
    await expect(client.listAgents()).resolves.toHaveLength(4);
  });

  it("rejects with the signal's reason when the caller aborts", async () => {
    const { fetch } = scriptedFetch([() => new Promise<Response>(() => {})]);
    const client = createBackupClient({ baseUrl: "http://api.test", token: "t", tenantId: "42", fetch });
    const controller = new AbortController();
    const pending = client.listAgents({ signal: controller.signal });
    const reason = new Error("user gave up");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});

describe("retries", () => {
  const base = { baseUrl: "http://api.test", token: "t", tenantId: "42" } as const;

  it("retries a 503 of a GET with exponential backoff and full jitter", async () => {
    const { fetch, requests } = scriptedFetch([() => problem(503), () => problem(503), () => problem(503), () => json(200, [])]);
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep, random: () => 0.5, retry: { baseDelayMs: 100, maxDelayMs: 300 } });
    await expect(client.listAgents()).resolves.toEqual([]);
    expect(requests).toHaveLength(4);
    // Half of min(max, base * 2^n): 50, 100, then capped at 150.
    expect(delays).toEqual([50, 100, 150]);
  });

  it("honours Retry-After instead of the backoff", async () => {
    const { fetch } = scriptedFetch([() => problem(503, { "retry-after": "3" }), () => json(200, [])]);
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep });
    await client.listAgents();
    expect(delays).toEqual([3000]);
  });

  it("gives up after the configured number of retries and throws the last error", async () => {
    const { fetch, requests } = scriptedFetch([() => problem(503, { "retry-after": "1" })]);
    const { sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep, retry: { retries: 2 } });
    const error = (await client.listAgents().catch((e: unknown) => e)) as BackupApiError;
    expect(error).toBeInstanceOf(BackupApiError);
    expect(error).toMatchObject({ status: 503, retryAfter: 1, requestId: "req-503" });
    expect(requests).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than maxRetryAfterMs", async () => {
    const { fetch, requests } = scriptedFetch([() => problem(503, { "retry-after": "3600" }), () => json(200, [])]);
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep });
    await expect(client.listAgents()).rejects.toMatchObject({ status: 503, retryAfter: 3600 });
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([
    ["GET", "getAgent", (c: ReturnType<typeof createBackupClient>) => c.getAgent({ machineAgentId: 1 })],
    [
      "PUT",
      "changeAgentLogLevel",
      (c: ReturnType<typeof createBackupClient>) => c.changeAgentLogLevel({ body: { MachineAgentId: 1, LoggingLevelId: 4 } }),
    ],
    [
      "DELETE",
      "deleteBackupConfiguration",
      (c: ReturnType<typeof createBackupClient>) => c.deleteBackupConfiguration({ backupConfigurationId: 1 }),
    ],
  ] as const)("retries a network failure of a %s (%s)", async (_method, _op, call) => {
    const { fetch, requests } = scriptedFetch([
      () => Promise.reject(new TypeError("fetch failed")),
      () => new Response(null, { status: 200 }),
    ]);
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep, random: () => 0.5 });
    await call(client);
    expect(requests).toHaveLength(2);
    expect(delays).toEqual([250]);
  });

  it.each([
    ["a 503", () => problem(503, { "retry-after": "1" })],
    ["a network failure", () => Promise.reject(new TypeError("fetch failed"))],
    ["a 500", () => problem(500)],
  ] as const)("never retries a POST after %s", async (_what, answer) => {
    const { fetch, requests } = scriptedFetch([answer, () => json(200, {})]);
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep });
    await expect(client.createBackupConfiguration({ body: {} as never })).rejects.toBeInstanceOf(BackupError);
    expect(requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("does not retry a 500, a 404 or a 403 of a GET", async () => {
    for (const status of [500, 404, 403]) {
      const { fetch, requests } = scriptedFetch([() => problem(status), () => json(200, [])]);
      const client = createBackupClient({ ...base, fetch, sleep: recordingSleep().sleep });
      await expect(client.listAgents()).rejects.toMatchObject({ status });
      expect(requests).toHaveLength(1);
    }
  });

  it("retries nothing with retry: false, on the client or on one call", async () => {
    const answers = [() => problem(503), () => json(200, [])];
    const off = scriptedFetch(answers);
    await expect(createBackupClient({ ...base, fetch: off.fetch, retry: false }).listAgents()).rejects.toMatchObject({ status: 503 });
    expect(off.requests).toHaveLength(1);
    const perCall = scriptedFetch(answers);
    await expect(createBackupClient({ ...base, fetch: perCall.fetch }).listAgents({ retry: false })).rejects.toMatchObject({ status: 503 });
    expect(perCall.requests).toHaveLength(1);
  });

  it("retries a StartManual refused with 403, one pause apart, then answers the backup id", async () => {
    const { fetch, requests } = scriptedFetch([() => problem(403), () => problem(403), () => json(200, 4242)]);
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep });
    await expect(client.requestBackupAction({ body: { Action: "StartManual", Id: 9 } })).resolves.toBe(4242);
    expect(requests).toHaveLength(3);
    expect(delays).toEqual([1000, 1000]);
  });

  it("stops retrying a refused start after startRetries", async () => {
    const { fetch, requests } = scriptedFetch([() => problem(403)]);
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ ...base, fetch, sleep, retry: { startRetries: 4, startDelayMs: 250 } });
    await expect(client.requestRestoreAction({ body: { Action: "StartManual", Id: 9 } })).rejects.toMatchObject({
      status: 403,
      operationId: "requestRestoreAction",
    });
    expect(requests).toHaveLength(5);
    expect(delays).toEqual([250, 250, 250, 250]);
  });

  it("does not retry a StopManual refused with 403", async () => {
    const { fetch, requests } = scriptedFetch([() => problem(403), () => new Response(null, { status: 204 })]);
    const client = createBackupClient({ ...base, fetch, sleep: recordingSleep().sleep });
    await expect(client.requestBackupAction({ body: { Action: "StopManual", Id: 9 } })).rejects.toMatchObject({ status: 403 });
    expect(requests).toHaveLength(1);
  });

  it("stops waiting between retries when the caller aborts", async () => {
    const { fetch } = scriptedFetch([() => problem(503)]);
    const controller = new AbortController();
    const client = createBackupClient({ ...base, fetch, random: () => 1, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    const pending = client.listAgents({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(pending).rejects.toThrow("stop");
  });

  it("rejects a StartManual answer that is not a backup id", async () => {
    const { fetch } = scriptedFetch([() => new Response(null, { status: 204 })]);
    const client = createBackupClient({ ...base, fetch });
    await expect(client.requestBackupAction({ body: { Action: "StartManual", Id: 1 } })).rejects.toThrow(/instead of a backup id/);
  });
});

describe("Microsoft JSON dates", () => {
  it.each([
    ["/Date(1357817400000)/", "2013-01-10T11:30:00.000Z"],
    ["/Date(0)/", "1970-01-01T00:00:00.000Z"],
    ["/Date(-62135578800000)/", "0001-01-01T05:00:00.000Z"],
    ["/Date(1357817400000-0500)/", "2013-01-10T11:30:00.000Z"],
    ["/Date(1357817400000+0100)/", "2013-01-10T11:30:00.000Z"],
    ["\\/Date(1357817400000)\\/", "2013-01-10T11:30:00.000Z"],
  ])("reads %s as %s", (text, iso) => {
    expect(parseMsDate(text).toISOString()).toBe(iso);
  });

  it("reads null as null", () => {
    expect(parseMsDate(null)).toBeNull();
  });

  it.each(["", "1357817400000", "/Date()/", "/Date(abc)/", "Date(1)", "/Date(1)/ ", "/Date(1+05)/", "/Date(99999999999999999999)/"])(
    "refuses %j",
    (text) => {
      expect(() => parseMsDate(text)).toThrow(RangeError);
    },
  );

  it.each([
    [new Date(1357817400000), "/Date(1357817400000)/"],
    [new Date(-62135578800000), "/Date(-62135578800000)/"],
  ])("writes %s as %s and reads it back", (date, text) => {
    expect(formatMsDate(date)).toBe(text);
    expect(parseMsDate(formatMsDate(date)).getTime()).toBe(date.getTime());
  });

  it("refuses to write an invalid date", () => {
    expect(() => formatMsDate(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("reads the dates the reference server sends", async () => {
    const client = inProcessServer().client();
    const configs = await client.listBackupConfigurations();
    const next = configs.map((config) => parseMsDate(config.NextScheduledRunTime));
    // The weekly and daily demo configurations have a next run; the manual one may not.
    expect(next.filter((date) => date instanceof Date && date.getTime() > 0).length).toBeGreaterThanOrEqual(2);
  });
});
