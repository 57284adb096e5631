/**
 * Faults over real sockets: 503 with Retry-After injected through the control API, a server
 * that drops every connection, and the 403 a start gets right after a wake-up.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupApiError, BackupNetworkError, createBackupClient, type FetchLike } from "../src/index.js";
import { DEMO, manualConfig, recordingSleep, socketServer } from "./helpers.js";

describe("faults injected into the reference server", () => {
  let server: Awaited<ReturnType<typeof socketServer>>;
  const log: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request);
    log.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
    return response;
  };
  const client = (sleep: (ms: number) => Promise<void>) =>
    createBackupClient({ baseUrl: server.url, token: DEMO.token, tenantId: DEMO.tenantId, fetch, sleep });

  beforeAll(async () => {
    server = await socketServer();
  });
  afterAll(() => server.close());

  it("retries a GET answered 503 after the Retry-After the server sent", async () => {
    log.length = 0;
    await server.admin("POST", "/__admin/faults", { kind: "status", operationId: "listAgents", status: 503, count: 2, retryAfter: 2 });
    const { delays, sleep } = recordingSleep();
    await expect(client(sleep).listAgents()).resolves.toHaveLength(4);
    expect(delays).toEqual([2000, 2000]);
    expect(log).toEqual(["GET /v1.0/1234/user/agents 503", "GET /v1.0/1234/user/agents 503", "GET /v1.0/1234/user/agents 200"]);
  });

  it("throws the 503 with its Retry-After and request id once the retries run out", async () => {
    log.length = 0;
    await server.admin("POST", "/__admin/faults", { kind: "status", operationId: "getAgent", status: 503, count: 10, retryAfter: 1 });
    const { delays, sleep } = recordingSleep();
    const error = (await client(sleep)
      .getAgent({ machineAgentId: 213564 })
      .catch((e: unknown) => e)) as BackupApiError;
    expect(error).toBeInstanceOf(BackupApiError);
    expect(error).toMatchObject({ status: 503, retryAfter: 1, operationId: "getAgent" });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(delays).toEqual([1000, 1000, 1000]);
    expect(log).toHaveLength(4);
    await server.admin("DELETE", "/__admin/faults");
  });

  it("does not retry a POST answered 503", async () => {
    log.length = 0;
    await server.admin("POST", "/__admin/faults", {
      kind: "status",
      operationId: "createBackupConfiguration",
      status: 503,
      count: 1,
      retryAfter: 1,
    });
    const { delays, sleep } = recordingSleep();
    const c = client(sleep);
    await expect(c.createBackupConfiguration({ body: manualConfig(202743, "/srv") })).rejects.toMatchObject({ status: 503, retryAfter: 1 });
    expect(delays).toEqual([]);
    expect(log).toEqual(["POST /v1.0/1234/backup-configuration 503"]);
    // The fault was used up by that one request: the same call now succeeds.
    await expect(c.createBackupConfiguration({ body: manualConfig(202743, "/srv") })).resolves.toMatchObject({ MachineAgentId: 202743 });
  });

  it("retries a start refused with 403 right after a wake-up until the agent is online", async () => {
    log.length = 0;
    const setup = client(recordingSleep().sleep);
    // Agent 213563 is offline in the default world.
    const config = await setup.createBackupConfiguration({ body: manualConfig(213563, "C:\\Data", "Race Backup") });
    await setup.wakeAgents();
    // Each pause of the client moves the server's virtual clock by as much.
    const { delays, sleep } = recordingSleep((ms) => server.advance(ms / 1000));
    const backupId = await client(sleep).requestBackupAction({ body: { Action: "StartManual", Id: config.BackupConfigurationId } });
    expect(typeof backupId).toBe("number");
    const starts = log.filter((line) => line.startsWith("POST /v1.0/1234/backup/action-requested"));
    // The reference server brings an agent online 15 s after the wake-up.
    expect(starts).toEqual([
      ...Array<string>(15).fill("POST /v1.0/1234/backup/action-requested 403"),
      "POST /v1.0/1234/backup/action-requested 200",
    ]);
    expect(delays).toEqual(Array<number>(15).fill(1000));
  });

  it("gives up on a start refused with 403 after startRetries", async () => {
    const setup = client(recordingSleep().sleep);
    await server.admin("POST", "/__admin/faults", { kind: "agentOffline", machineAgentId: 213564 });
    const configs = await setup.listAgentBackupConfigurations({ machineAgentId: 213564 });
    log.length = 0;
    const { delays, sleep } = recordingSleep();
    const c = createBackupClient({
      baseUrl: server.url,
      token: DEMO.token,
      tenantId: DEMO.tenantId,
      fetch,
      sleep,
      retry: { startRetries: 3 },
    });
    await expect(c.requestBackupAction({ body: { Action: "StartManual", Id: configs[0]!.BackupConfigurationId } })).rejects.toMatchObject({
      status: 403,
    });
    expect(delays).toEqual([1000, 1000, 1000]);
    expect(log).toHaveLength(4);
    await server.admin("DELETE", "/__admin/faults");
  });
});

describe("a server that drops every connection", () => {
  let dropper: Server;
  let url: string;
  let connections = 0;

  beforeAll(async () => {
    dropper = createHttpServer((request) => {
      connections++;
      request.socket.destroy();
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => dropper.close(() => resolve())));

  it("retries a GET, then throws BackupNetworkError", async () => {
    connections = 0;
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ baseUrl: url, token: "t", tenantId: "1", sleep, retry: { retries: 2 } });
    const error = await client.listAgents().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupNetworkError);
    expect((error as BackupNetworkError).message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\.0\/1\/user\/agents failed: fetch failed/);
    expect(connections).toBe(3);
    expect(delays).toHaveLength(2);
  });

  it("sends a POST once and throws BackupNetworkError", async () => {
    connections = 0;
    const { delays, sleep } = recordingSleep();
    const client = createBackupClient({ baseUrl: url, token: "t", tenantId: "1", sleep });
    await expect(client.wakeAgents()).rejects.toBeInstanceOf(BackupNetworkError);
    expect(connections).toBe(1);
    expect(delays).toEqual([]);
  });
});
