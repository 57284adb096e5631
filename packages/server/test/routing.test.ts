import { operations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { routes, toHonoPath, withoutTenant } from "../src/index.js";
import { fillPath, testServer } from "./helpers.js";

/** A server whose log tells which operation answered each request. */
function loggingServer() {
  const lines: string[] = [];
  const server = testServer({ log: (line) => lines.push(line) });
  /** The operationId that answered the last request (`-` when none did). */
  const lastOperation = () => lines.at(-1)!.split(" ")[2];
  return { ...server, lastOperation };
}

describe("toHonoPath", () => {
  const cases: Array<{ given: string; want: string }> = [
    { given: "/v1.0/{tenant_id}/agent/{machineAgentId}", want: "/v1.0/:tenant_id/agent/:machineAgentId" },
    { given: "/v1.0/{tenant_id}/user/agents", want: "/v1.0/:tenant_id/user/agents" },
    {
      given: "/v1.0/{tenant_id}/backup-configuration/enable/{backupConfigurationId}",
      want: "/v1.0/:tenant_id/backup-configuration/enable/:backupConfigurationId",
    },
    { given: "/v1.0/{tenant_id}/backup/action-requested", want: "/v1.0/:tenant_id/backup/action-requested" },
    { given: "/v1.0/{tenant_id}/agent/server/{hostServerId}", want: "/v1.0/:tenant_id/agent/server/:hostServerId" },
    { given: "/v1.0/agent/{machineAgentId}", want: "/v1.0/agent/:machineAgentId" },
    { given: "/__admin/faults/{faultId}", want: "/__admin/faults/:faultId" },
    { given: "/__admin/reset", want: "/__admin/reset" },
    { given: "/", want: "/" },
  ];
  it.each(cases)("$given -> $want", ({ given, want }) => {
    expect(toHonoPath(given)).toBe(want);
  });

  it("leaves no brace in any path of the spec and keeps its segments", () => {
    for (const op of operations) {
      const hono = toHonoPath(op.path);
      expect(hono, op.path).not.toMatch(/[{}]/);
      expect(hono.split("/").length, op.path).toBe(op.path.split("/").length);
    }
  });
});

describe("withoutTenant", () => {
  const cases: Array<{ given: string; want: string }> = [
    { given: "/v1.0/{tenant_id}/agent/enable", want: "/v1.0/agent/enable" },
    { given: "/v1.0/{tenant_id}/activity", want: "/v1.0/activity" },
    { given: "/v1.0/{tenant_id}/agent/{machineAgentId}", want: "/v1.0/agent/{machineAgentId}" },
    { given: "/__admin/reset", want: "/__admin/reset" },
  ];
  it.each(cases)("$given -> $want", ({ given, want }) => {
    expect(withoutTenant(given)).toBe(want);
  });
});

describe("route resolution", () => {
  // Literal segments must win over a parameter at the same position.
  const literalWins: Array<{ method: string; path: string; want: string; notWant: string }> = [
    { method: "POST", path: "/v1.0/1234/agent/enable", want: "enableAgent", notWant: "updateAgentBackupBehavior" },
    { method: "POST", path: "/v1.0/1234/agent/encrypt", want: "enableVolumeEncryption", notWant: "updateAgentBackupBehavior" },
    { method: "POST", path: "/v1.0/1234/agent/changeencryption", want: "changeEncryptionPassword", notWant: "updateAgentBackupBehavior" },
    { method: "POST", path: "/v1.0/1234/agent/delete", want: "deleteAgent", notWant: "updateAgentBackupBehavior" },
    { method: "GET", path: "/v1.0/1234/backup/availableforrestore", want: "listBackupsAvailableForRestore", notWant: "getBackup" },
    { method: "POST", path: "/v1.0/agent/enable", want: "enableAgent", notWant: "updateAgentBackupBehavior" },
    { method: "POST", path: "/v1.0/agent/delete", want: "deleteAgent", notWant: "updateAgentBackupBehavior" },
    { method: "GET", path: "/v1.0/backup/availableforrestore", want: "listBackupsAvailableForRestore", notWant: "getBackup" },
  ];
  it.each(literalWins)("$method $path is $want, not $notWant", async ({ method, path, want }) => {
    const { call, lastOperation } = loggingServer();
    await call(method, path, method === "POST" ? { body: {} } : {});
    expect(lastOperation()).toBe(want);
  });

  it("POST /agent/enable disables the agent (enableAgent) instead of updating its behaviour", async () => {
    const { call } = testServer();
    const res = await call("POST", "/v1.0/1234/agent/enable", { body: { MachineAgentId: 202743, Enable: false } });
    expect(res.status).toBe(204);
    expect((await call("GET", "/v1.0/1234/agent/202743")).body.IsDisabled).toBe(true);
  });

  it("GET /backup/availableforrestore lists backups instead of reading backup 'availableforrestore'", async () => {
    const { call } = testServer();
    const res = await call("GET", "/v1.0/1234/backup/availableforrestore");
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body.length).toBeGreaterThan(0);
  });

  it("sends every operation of the spec, with and without the tenant, to its own handler", async () => {
    const { call, lastOperation } = loggingServer();
    for (const op of operations) {
      for (const path of [fillPath(op.path), fillPath(withoutTenant(op.path))]) {
        await call(op.method, path, op.requestMediaTypes.length ? { body: {} } : {});
        expect(lastOperation(), `${op.method} ${path}`).toBe(op.operationId);
      }
    }
  });

  it("answers 404 with a problem for a path no operation has", async () => {
    const { call, lastOperation } = loggingServer();
    for (const [method, path] of [
      ["GET", "/v1.0/1234/nothing"],
      ["GET", "/v1.0/1234/agent/213564/extra"],
    ] as const) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(lastOperation()).toBe("-");
    }
  });

  it("answers 405 with Allow and a problem for a known path with a method it does not take", async () => {
    const { call, lastOperation } = loggingServer();
    const res = await call("PATCH", "/v1.0/1234/agent/213564");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(lastOperation()).toBe("-");
  });
});

describe("tenant-less paths", () => {
  const cases: Array<{ path: string; want: (body: any) => void }> = [
    { path: "/v1.0/agent/213564", want: (b) => expect(b.MachineAgentId).toBe(213564) },
    {
      path: "/v1.0/user/agents",
      want: (b) =>
        expect(b.map((a: any) => a.MachineAgentId).sort((x: number, y: number) => x - y)).toEqual([95874, 202743, 213563, 213564]),
    },
    { path: "/v1.0/backup-configuration", want: (b) => expect(b).toHaveLength(3) },
    {
      path: "/v1.0/backup-configuration/system/202743",
      want: (b) => expect(b.map((c: any) => c.BackupConfigurationName)).toEqual(["Weekly Website Backup"]),
    },
    { path: "/v1.0/agent/server/87c3b6e1-fb1a-41f9-91e5-313ae35a5a06", want: (b) => expect(b.MachineAgentId).toBe(213564) },
    { path: "/v1.0/backup/availableforrestore", want: (b) => expect(b.length).toBeGreaterThan(0) },
    { path: "/v1.0/activity", want: (b) => expect(b.length).toBeGreaterThan(0) },
    {
      path: "/v1.0/system/activity/213564",
      want: (b) => expect(b.every((a: any) => a.SourceMachineAgentId === 213564 || a.DestinationMachineAgentId === 213564)).toBe(true),
    },
    { path: "/v1.0/restore/20000", want: (b) => expect(b.RestoreId).toBe(20000) },
  ];
  it.each(cases)("GET $path answers the token's tenant", async ({ path, want }) => {
    const { call } = testServer();
    const res = await call("GET", path);
    expect(res.status).toBe(200);
    want(res.body);
    // The same answer as the path with the tenant in it.
    const withTenant = await call("GET", path.replace("/v1.0/", "/v1.0/1234/"));
    expect(withTenant.body).toEqual(res.body);
  });

  it("uses the tenant of whichever token is sent", async () => {
    const { call, newTenant } = testServer();
    const other = await newTenant();
    const agents = await call("GET", "/v1.0/user/agents", { token: other.token });
    expect(agents.body.map((a: any) => a.MachineAgentId)).toEqual(other.agents);
    expect((await call("GET", "/v1.0/agent/213564", { token: other.token })).status).toBe(404);
    expect((await call("GET", `/v1.0/agent/${other.agents[0]}`)).status).toBe(404);
  });

  it("writes into the token's tenant", async () => {
    const { call, newTenant } = testServer();
    const other = await newTenant();
    const created = await call("POST", "/v1.0/backup-configuration", {
      token: other.token,
      body: {
        MachineAgentId: other.agents[0],
        BackupConfigurationName: "tenant-less",
        IsActive: true,
        VersionRetention: 0,
        Frequency: "Manually",
        StartTimeHour: null,
        StartTimeMinute: null,
        StartTimeAmPm: null,
        DayOfWeekId: null,
        HourInterval: null,
        TimeZoneId: "UTC",
        NotifyRecipients: "",
        NotifySuccess: false,
        NotifyFailure: false,
      },
    });
    expect(created.status).toBe(200);
    expect((await call("GET", `/v1.0/${other.tenantId}/backup-configuration`, { token: other.token })).body).toHaveLength(1);
    expect((await call("GET", "/v1.0/1234/backup-configuration")).body).toHaveLength(3);
  });
});

describe("generated route table", () => {
  it("lists the 33 operations of the spec, once each, with the spec's method and path", () => {
    expect(routes).toHaveLength(33);
    expect(new Set(routes.map((r) => r.operationId)).size).toBe(33);
    const fromSpec = operations.map((op) => `${op.method} ${op.path} ${op.operationId}`).sort();
    expect(routes.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort()).toEqual(fromSpec);
  });

  it("orders a literal segment before a parameter at the same position", () => {
    const segments = (path: string) => path.split("/");
    for (const [i, a] of routes.entries()) {
      for (const b of routes.slice(i + 1)) {
        const sa = segments(a.path);
        const sb = segments(b.path);
        const k = sa.findIndex((s, j) => s !== sb[j]);
        if (k < 0 || sa.length !== sb.length) continue;
        // b must not be the more specific one at the first difference.
        expect(sb[k]!.startsWith("{") || !sa[k]!.startsWith("{"), `${b.path} must come before ${a.path}`).toBe(true);
      }
    }
  });

  it("registers every operation of the description once", () => {
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(operations.map((op) => op.key).sort());
  });
});
