/**
 * Rackspace Cloud Identity: endpoint selection from a service catalog, then the whole flow
 * over a real socket against the reference server's `POST /v2.0/tokens`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  BackupApiError,
  BackupTimeoutError,
  createBackupClient,
  type FetchLike,
  type IdentityAccess,
  selectEndpoint,
} from "../src/index.js";
import { DEMO, socketServer } from "./helpers.js";

function access(endpoints: IdentityAccess["serviceCatalog"][number]["endpoints"], defaultRegion = "DFW"): IdentityAccess {
  return {
    token: { id: "tok", expires: "2099-01-01T00:00:00.000Z", tenant: { id: "1234", name: "1234" } },
    user: { id: "u", name: "demo", "RAX-AUTH:defaultRegion": defaultRegion, roles: [] },
    serviceCatalog: [
      { name: "cloudFiles", type: "object-store", endpoints: [{ region: "LON", tenantId: "x", publicURL: "https://files.test/v1/x" }] },
      { name: "cloudBackup", type: "rax:backup", endpoints },
    ],
  };
}

const regional = (region: string) => ({ region, tenantId: "1234", publicURL: `https://${region.toLowerCase()}.backup.test/v1.0/1234` });
const global = { tenantId: "1234", publicURL: "https://backup.test/v1.0/1234" };

describe("selectEndpoint", () => {
  it.each([
    ["the chosen region", [regional("DFW"), regional("LON"), global], "lon", "https://lon.backup.test/v1.0/1234"],
    ["the chosen region, in upper case", [regional("DFW"), regional("LON"), global], "LON", "https://lon.backup.test/v1.0/1234"],
    ["the global entry when no region is chosen", [regional("DFW"), global, regional("LON")], undefined, "https://backup.test/v1.0/1234"],
    ["the global entry when the region is not listed", [regional("DFW"), global], "syd", "https://backup.test/v1.0/1234"],
    ["the only entry", [regional("ORD")], "syd", "https://ord.backup.test/v1.0/1234"],
    ["the user's default region as a last resort", [regional("ORD"), regional("DFW")], undefined, "https://dfw.backup.test/v1.0/1234"],
  ] as const)("picks %s", (_what, endpoints, region, expected) => {
    expect(selectEndpoint(access([...endpoints]), region).publicURL).toBe(expected);
  });

  it("fails when no endpoint fits", () => {
    expect(() => selectEndpoint(access([regional("ORD"), regional("IAD")]), "lon")).toThrow(/no Cloud Backup endpoint for lon/);
  });

  it("fails when the catalog has no Cloud Backup service", () => {
    const a = access([]);
    a.serviceCatalog = a.serviceCatalog.filter((s) => s.type !== "rax:backup");
    expect(() => selectEndpoint(a)).toThrow(/no Cloud Backup endpoint/);
  });
});

describe("re-authentication, scripted", () => {
  it("authenticates again once after a 401 and then gives up", async () => {
    const seen: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      seen.push(new URL(request.url).pathname);
      if (request.url.endsWith("/v2.0/tokens")) {
        return Response.json({ access: access([global]) });
      }
      return Response.json({ type: "about:blank", title: "Unauthorized", status: 401 }, { status: 401 });
    };
    const client = createBackupClient({ auth: { username: "u", apiKey: "k", identityUrl: "https://id.test" }, fetch });
    const error = (await client.listAgents().catch((e: unknown) => e)) as BackupApiError;
    expect(error).toBeInstanceOf(BackupApiError);
    expect(error.status).toBe(401);
    expect(seen).toEqual(["/v2.0/tokens", "/v1.0/1234/user/agents", "/v2.0/tokens", "/v1.0/1234/user/agents"]);
  });

  it("sends the API key and password credentials in Identity's shapes", async () => {
    const bodies: unknown[] = [];
    const fetch: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      if (request.url.endsWith("/v2.0/tokens")) {
        bodies.push(await request.json());
        return Response.json({ access: access([global]) });
      }
      return Response.json([]);
    };
    await createBackupClient({ auth: { username: "u", apiKey: "k" }, fetch }).listAgents();
    await createBackupClient({ auth: { username: "u", password: "p" }, fetch }).listAgents();
    expect(bodies).toEqual([
      { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "u", apiKey: "k" } } },
      { auth: { passwordCredentials: { username: "u", password: "p" } } },
    ]);
  });

  it("shares one authentication between concurrent calls", async () => {
    let authentications = 0;
    const fetch: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      if (request.url.endsWith("/v2.0/tokens")) {
        authentications++;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return Response.json({ access: access([global]) });
      }
      return Response.json([]);
    };
    const client = createBackupClient({ auth: { username: "u", apiKey: "k" }, fetch });
    await Promise.all([client.listAgents(), client.listAgents(), client.listActivity()]);
    expect(authentications).toBe(1);
  });

  it("throws BackupTimeoutError when Identity does not answer in time", async () => {
    const fetch: FetchLike = () => new Promise<Response>(() => {});
    // Identity calls get the client's timeoutMs; this call alone may take longer.
    const client = createBackupClient({ auth: { username: "u", apiKey: "k" }, fetch, timeoutMs: 20 });
    const error = await client.listAgents({ timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupTimeoutError);
    expect(error).toMatchObject({ operationId: "authenticate", timeoutMs: 20 });
  });

  it("calls the global Identity endpoint by default", async () => {
    const urls: string[] = [];
    const fetch: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      urls.push(request.url);
      return request.url.includes("/v2.0/") ? Response.json({ access: access([global]) }) : Response.json([]);
    };
    await createBackupClient({ auth: { username: "u", apiKey: "k" }, fetch }).listAgents();
    expect(urls).toEqual(["https://identity.api.rackspacecloud.com/v2.0/tokens", "https://backup.test/v1.0/1234/user/agents"]);
  });
});

describe("Identity over a socket, against the reference server", () => {
  let server: Awaited<ReturnType<typeof socketServer>>;
  /** Every request the clients send, as "METHOD path status". */
  const log: string[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const response = await globalThis.fetch(request);
    log.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
    return response;
  };
  const tokenCalls = () => log.filter((line) => line.startsWith("POST /v2.0/tokens")).length;

  beforeAll(async () => {
    server = await socketServer();
  });
  afterAll(() => server.close());
  afterEach(() => {
    vi.useRealTimers();
    log.length = 0;
  });

  it.each([
    ["an API key", { username: DEMO.username, apiKey: DEMO.apiKey }],
    ["a password", { username: DEMO.username, password: DEMO.password }],
  ] as const)("authenticates with %s and calls the catalog's endpoint", async (_what, credentials) => {
    const client = createBackupClient({ auth: { ...credentials, identityUrl: server.url }, fetch });
    const agents = await client.listAgents();
    expect(agents).toHaveLength(4);
    await client.getAgent({ machineAgentId: 202743 });
    expect(log).toEqual(["POST /v2.0/tokens 200", "GET /v1.0/1234/user/agents 200", "GET /v1.0/1234/agent/202743 200"]);
    const session = await client.session();
    expect(session).toMatchObject({ tenantId: "1234", baseUrl: server.url });
    expect(session.token).toMatch(/^[0-9a-f]{32}$/);
    expect(session.expiresAt! - Date.now()).toBeGreaterThan(23 * 3_600_000);
  });

  it("uses the endpoint of the chosen region from the catalog", async () => {
    // Point every catalog entry but LON somewhere unreachable.
    const rewriting: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      const response = await fetch(request);
      if (!request.url.endsWith("/v2.0/tokens")) return response;
      const body = (await response.json()) as { access: IdentityAccess };
      for (const service of body.access.serviceCatalog) {
        for (const endpoint of service.endpoints) {
          if (endpoint.region !== "LON") endpoint.publicURL = `http://unreachable.invalid/v1.0/${endpoint.tenantId}`;
        }
      }
      return Response.json(body);
    };
    const client = createBackupClient({
      auth: { username: DEMO.username, apiKey: DEMO.apiKey, identityUrl: server.url },
      region: "lon",
      fetch: rewriting,
    });
    await expect(client.listAgents()).resolves.toHaveLength(4);
    expect((await client.session()).baseUrl).toBe(server.url);
  });

  it("takes the account from the token of a fresh tenant", async () => {
    const tenant = await server.admin<{ tenantId: string; username: string; apiKey: string; agents: number[] }>(
      "POST",
      "/__admin/tenants",
      { agents: 3 },
    );
    const client = createBackupClient({ auth: { username: tenant.username, apiKey: tenant.apiKey, identityUrl: server.url }, fetch });
    const agents = await client.listAgents();
    expect(agents.map((a) => a.MachineAgentId).sort()).toEqual([...tenant.agents].sort());
    expect(log[1]).toBe(`GET /v1.0/${tenant.tenantId}/user/agents 200`);
  });

  it("throws BackupApiError for refused credentials without retrying", async () => {
    const client = createBackupClient({ auth: { username: DEMO.username, apiKey: "wrong", identityUrl: server.url }, fetch });
    const error = (await client.listAgents().catch((e: unknown) => e)) as BackupApiError;
    expect(error).toBeInstanceOf(BackupApiError);
    expect(error).toMatchObject({ status: 401, operationId: "authenticate", body: { unauthorized: { code: 401 } } });
    expect(error.message).toContain("Username or api key is invalid.");
    expect(log).toEqual(["POST /v2.0/tokens 401"]);
  });

  it("authenticates again after the token expires on the server (25 hours later)", async () => {
    const client = createBackupClient({ auth: { username: DEMO.username, apiKey: DEMO.apiKey, identityUrl: server.url }, fetch });
    await client.listAgents();
    const first = (await client.session()).token;
    await server.advance(25 * 3600);
    await expect(client.listAgents()).resolves.toHaveLength(4);
    expect(log).toEqual([
      "POST /v2.0/tokens 200",
      "GET /v1.0/1234/user/agents 200",
      "GET /v1.0/1234/user/agents 401",
      "POST /v2.0/tokens 200",
      "GET /v1.0/1234/user/agents 200",
    ]);
    expect((await client.session()).token).not.toBe(first);
  });

  it("authenticates again after the server forgets the token", async () => {
    const client = createBackupClient({ auth: { username: DEMO.username, password: DEMO.password, identityUrl: server.url }, fetch });
    await client.listAgents();
    await server.admin("POST", "/__admin/reset");
    await expect(client.getAgent({ machineAgentId: 213564 })).resolves.toMatchObject({ MachineName: "Web Server" });
    expect(tokenCalls()).toBe(2);
    expect(log.filter((line) => line.endsWith(" 401"))).toEqual(["GET /v1.0/1234/agent/213564 401"]);
  });

  it("authenticates again before sending when the token expires within five minutes", async () => {
    const client = createBackupClient({ auth: { username: DEMO.username, apiKey: DEMO.apiKey, identityUrl: server.url }, fetch });
    await client.listAgents();
    const { expiresAt } = await client.session();
    // Move the server on too, so that the next token it issues expires a day later.
    await server.advance(23 * 3600);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt! - 10 * 60_000);
    await client.listAgents();
    expect(tokenCalls()).toBe(1);
    vi.setSystemTime(expiresAt! - 4 * 60_000);
    await client.listAgents();
    expect(tokenCalls()).toBe(2);
    expect(log.some((line) => line.endsWith(" 401"))).toBe(false);
  });

  it("authenticates the raw client too, and forgets a refused token", async () => {
    const client = createBackupClient({ auth: { username: DEMO.username, apiKey: DEMO.apiKey, identityUrl: server.url }, fetch });
    const { data } = await client.raw.GET("/v1.0/{tenant_id}/user/agents", { params: { path: { tenant_id: "1234" } } });
    expect(data).toHaveLength(4);
    await server.admin("POST", "/__admin/reset");
    const refused = await client.raw.GET("/v1.0/{tenant_id}/user/agents", { params: { path: { tenant_id: "1234" } } });
    expect(refused.response.status).toBe(401);
    const again = await client.raw.GET("/v1.0/{tenant_id}/user/agents", { params: { path: { tenant_id: "1234" } } });
    expect(again.response.status).toBe(200);
    expect(tokenCalls()).toBe(2);
  });
});
