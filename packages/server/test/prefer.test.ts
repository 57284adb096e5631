import { describe, expect, it } from "vitest";
import { parsePrefer } from "../src/prefer.js";
import { testServer } from "./helpers.js";

describe("parsePrefer", () => {
  const cases = [
    { given: "code=503", want: { code: 503 } },
    { given: 'example="GetAgentResponseExample"', want: { example: "GetAgentResponseExample" } },
    { given: "latency=250, fault=reset", want: { latency: 250, reset: true } },
    { given: "latency=999999999", want: { latency: 60_000 } },
    { given: "respond-async, wait=10, dynamic=true, code=abc", want: {} },
  ];
  it.each(cases)("reads $given", ({ given, want }) => {
    expect(parsePrefer(given)).toEqual(want);
  });
});

describe("Prefer on the API", () => {
  it("answers a documented error status with a valid problem body and changes nothing", async () => {
    const { call } = testServer();
    const before = await call("GET", "/v1.0/1234/backup-configuration");
    const res = await call("POST", "/v1.0/1234/agent/enable", {
      body: { MachineAgentId: 213564, Enable: false },
      headers: { Prefer: "code=503" },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect((await call("GET", "/v1.0/1234/agent/213564")).body.IsDisabled).toBe(false);
    expect((await call("GET", "/v1.0/1234/backup-configuration")).body).toEqual(before.body);
  });

  it("ignores a code the operation does not document", async () => {
    const { call } = testServer();
    // listAgents documents no 500.
    expect((await call("GET", "/v1.0/1234/user/agents", { headers: { Prefer: "code=500" } })).status).toBe(200);
  });

  it("answers a named example", async () => {
    const { call } = testServer();
    const res = await call("GET", "/v1.0/1234/agent/213564", { headers: { Prefer: "example=GetAgentResponseExample" } });
    expect(res.body.MachineName).toBe("Web Server");
    // The example's own 256-digit key, not the demo world's 512-digit one.
    expect(res.body.PublicKey.ModulusHex).toMatch(/^a5261939156948bb/);
  });

  it("drops the connection for fault=reset", async () => {
    const { app } = testServer();
    await expect(
      app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token", Prefer: "fault=reset" } }),
    ).rejects.toThrow(/connection reset/);
  });

  it("delays the answer for latency=ms", async () => {
    const { call } = testServer();
    const started = Date.now();
    expect((await call("GET", "/v1.0/1234/user/agents", { headers: { Prefer: "latency=120" } })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});

describe("abuse resistance", () => {
  it("refuses deeply nested JSON without parsing it", async () => {
    const { call } = testServer();
    const res = await call("POST", "/v1.0/1234/agent/enable", { raw: "[".repeat(100_000) + "]".repeat(100_000) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain("nests deeper");
  });

  it("refuses a body over 1 MB with a 400 the spec documents", async () => {
    const { call } = testServer();
    const res = await call("POST", "/v1.0/1234/agent/enable", {
      raw: JSON.stringify({ MachineAgentId: 1, Enable: true, pad: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain("larger than");
  });

  it("treats file paths as data, never touching the disk", async () => {
    const { call } = testServer();
    const res = await call("PUT", "/v1.0/1234/restore/files", {
      body: { FilePath: "../../../../etc/passwd", Filter: 1, ParentId: 999999, FileItemType: 0 },
    });
    expect(res.status).toBe(404);
  });
});

describe("fault scenarios stay within the spec", () => {
  it("refuses a status the operation does not document, and an unknown operation", async () => {
    const { call } = testServer();
    const undocumented = await call("POST", "/__admin/faults", {
      token: null,
      body: { kind: "status", operationId: "listAgents", status: 500, count: 1 },
    });
    expect(undocumented.status).toBe(400);
    expect(undocumented.body.errors[0].pointer).toBe("/status");
    const unknown = await call("POST", "/__admin/faults", {
      token: null,
      body: { kind: "status", operationId: "getAgents", status: 503, count: 1 },
    });
    expect(unknown.status).toBe(400);
    expect((await call("GET", "/__admin/faults", { token: null })).body).toEqual([]);
  });
});
