/**
 * HTTP conventions around the operations: CORS (option `cors`), 405 with Allow, the control
 * API's refusal of other origins, Preference-Applied and X-Prefer-Ignored.
 */
import { describe, expect, it } from "vitest";
import { allowedMethods } from "../src/http-conventions.js";
import { testServer } from "./helpers.js";

const PAGE = "http://127.0.0.1:5173";

function preflight(
  app: ReturnType<typeof testServer>["app"],
  path: string,
  method: string,
  origin = PAGE,
  headers = "x-auth-token, content-type",
) {
  return app.request(path, {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers },
  });
}

describe("405 with Allow", () => {
  it("answers a known path called with another method with 405, Allow and a problem body", async () => {
    const { call } = testServer();
    const res = await call("DELETE", "/v1.0/1234/user/agents");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(res.body).toMatchObject({ status: 405, title: "Method Not Allowed" });
    const post = await call("PUT", "/v1.0/1234/agent/213564");
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("also for the tenant-less form, the control API and Identity", async () => {
    const { call } = testServer();
    expect((await call("PUT", "/v1.0/user/agents")).headers.get("allow")).toBe("GET, HEAD");
    const reset = await call("GET", "/__admin/reset", { token: null });
    expect(reset.status).toBe(405);
    expect(reset.headers.get("allow")).toBe("POST");
    expect((await call("GET", "/v2.0/tokens", { token: null })).headers.get("allow")).toBe("POST");
  });

  it("keeps 404 for unknown paths", async () => {
    const { call } = testServer();
    expect((await call("DELETE", "/v1.0/1234/nothing-here")).status).toBe(404);
    expect(allowedMethods("/v2.0/nothing")).toBeUndefined();
  });

  it("changes nothing", async () => {
    const { call } = testServer();
    const before = await call("GET", "/v1.0/1234/backup-configuration");
    expect((await call("DELETE", "/v1.0/1234/backup-configuration")).status).toBe(405);
    expect((await call("GET", "/v1.0/1234/backup-configuration")).body).toEqual(before.body);
  });
});

describe("CORS", () => {
  it("is off by default: a preflight is refused (405, no Access-Control-Allow-Origin)", async () => {
    const { app } = testServer();
    const res = await preflight(app, "/v1.0/1234/user/agents", "GET");
    expect(res.status).toBe(405);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const get = await app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token", Origin: PAGE } });
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers preflights for an allowed origin with the path's methods and the API's headers", async () => {
    const { app } = testServer({ cors: [PAGE] });
    const res = await preflight(app, "/v1.0/1234/agent/213564", "POST");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(res.headers.get("access-control-allow-methods")).toBe("GET,HEAD,POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toEqual(
      expect.arrayContaining(["x-auth-token", "content-type", "prefer"]),
    );
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("exposes X-Request-Id, Retry-After and Location on answers to an allowed origin", async () => {
    const { app } = testServer({ cors: [PAGE] });
    const res = await app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token", Origin: PAGE } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(res.headers.get("access-control-expose-headers")?.split(",")).toEqual(
      expect.arrayContaining(["X-Request-Id", "Retry-After", "Location"]),
    );
    // Errors too: a page must be able to read a 401 or 503.
    const denied = await app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "nope", Origin: PAGE } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("access-control-allow-origin")).toBe(PAGE);
  });

  it("gives no approval to another origin", async () => {
    const { app } = testServer({ cors: [PAGE] });
    const res = await preflight(app, "/v1.0/1234/user/agents", "GET", "http://evil.example");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers any origin with *", async () => {
    const { app } = testServer({ cors: ["*"] });
    const res = await preflight(app, "/v2.0/tokens", "POST", "http://anywhere.example");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toBe("POST");
  });

  it("never covers the control API", async () => {
    const { app } = testServer({ cors: ["*"] });
    // Refused as a cross-origin call (403), and without any CORS approval.
    const res = await preflight(app, "/__admin/reset", "POST");
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("gives no approval to unknown paths", async () => {
    const { app } = testServer({ cors: ["*"] });
    const res = await preflight(app, "/v1.0/1234/nothing", "GET");
    expect(res.status).toBe(404);
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
  });
});

describe("the control API and other origins", () => {
  it.each([[undefined], [["*"]]])("refuses a cross-origin write without changing anything (cors %j)", async (cors) => {
    const { call, app } = testServer(cors ? { cors } : {});
    await call("POST", "/v1.0/1234/agent/enable", { body: { MachineAgentId: 213564, Enable: false } });
    // A "simple" request (text/plain, no custom header) that a browser sends without a preflight.
    const res = await app.request("/__admin/reset", { method: "POST", headers: { Origin: PAGE, "Content-Type": "text/plain" }, body: "x" });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect((await call("GET", "/v1.0/1234/agent/213564")).body.IsDisabled).toBe(true);
    const fetchSite = await app.request("/__admin/clock/advance", {
      method: "POST",
      headers: { "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json" },
      body: '{"seconds": 60}',
    });
    expect(fetchSite.status).toBe(403);
  });

  it("answers its own origin and callers that send no Origin", async () => {
    const { app, call } = testServer();
    expect((await app.request("http://127.0.0.1:4010/__admin/clock", { headers: { Origin: "http://127.0.0.1:4010" } })).status).toBe(200);
    expect((await call("GET", "/__admin/clock", { token: null })).status).toBe(200);
  });
});

describe("Prefer feedback", () => {
  it("says Preference-Applied when code= was honoured", async () => {
    const { call } = testServer();
    const res = await call("GET", "/v1.0/1234/user/agents", { headers: { Prefer: "code=503" } });
    expect(res.status).toBe(503);
    expect(res.headers.get("preference-applied")).toBe("code=503");
  });

  it("says Preference-Applied for example= and latency=", async () => {
    const { call } = testServer();
    const res = await call("GET", "/v1.0/1234/agent/213564", { headers: { Prefer: "example=GetAgentResponseExample, latency=5" } });
    expect(res.headers.get("preference-applied")).toBe("latency=5, example=GetAgentResponseExample");
  });

  it("sends no Preference-Applied when nothing was asked or honoured", async () => {
    const { call } = testServer();
    expect((await call("GET", "/v1.0/1234/user/agents")).headers.get("preference-applied")).toBeNull();
    expect(
      (await call("GET", "/v1.0/1234/user/agents", { headers: { Prefer: "respond-async" } })).headers.get("preference-applied"),
    ).toBeNull();
    expect(
      (await call("GET", "/v1.0/1234/agent/213564", { headers: { Prefer: "example=NoSuchExample" } })).headers.get("preference-applied"),
    ).toBeNull();
  });

  it("names the documented statuses in X-Prefer-Ignored when code= names another", async () => {
    const { call } = testServer();
    const res = await call("GET", "/v1.0/1234/user/agents", { headers: { Prefer: "code=418" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBeNull();
    const ignored = res.headers.get("x-prefer-ignored")!;
    expect(ignored).toContain("code=418");
    expect(ignored).toContain("listAgents does not document 418");
    const documented = /documented="([^"]+)"/.exec(ignored)![1]!.split(" ").map(Number);
    expect(documented).toContain(200);
    expect(documented).toContain(503);
    expect(documented).not.toContain(418);
  });

  it("keeps X-Prefer-Ignored on error answers", async () => {
    const { call } = testServer();
    const res = await call("GET", "/v1.0/1234/agent/999999", { headers: { Prefer: "code=418" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-prefer-ignored")).toContain("code=418");
  });
});
