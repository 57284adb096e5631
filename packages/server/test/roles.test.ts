import { describe, expect, it } from "vitest";
import { testServer, weeklyConfig } from "./helpers.js";

describe("roles", () => {
  it("lets an observer read but not change anything", async () => {
    const { call } = testServer();
    const token = "demo-observer-token";
    expect((await call("GET", "/v1.0/1234/user/agents", { token })).status).toBe(200);
    const before = await call("GET", "/v1.0/1234/backup-configuration");
    const refused = await call("POST", "/v1.0/1234/backup-configuration", {
      token,
      body: weeklyConfig(202743, { BackupConfigurationName: "x" }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain("cloudBackup:observer");
    expect((await call("POST", "/v1.0/1234/user/wakeupagents", { token })).status).toBe(403);
    expect((await call("GET", "/v1.0/1234/backup-configuration")).body).toEqual(before.body);
  });

  it("lets a creator create and run but not delete an agent or a configuration", async () => {
    const { call } = testServer();
    const token = "demo-creator-token";
    const created = await call("POST", "/v1.0/1234/backup-configuration", {
      token,
      body: weeklyConfig(202743, { BackupConfigurationName: "by creator" }),
    });
    expect(created.status).toBe(200);
    const id = created.body.BackupConfigurationId;
    expect((await call("POST", "/v1.0/1234/backup/action-requested", { token, body: { Action: "StartManual", Id: id } })).status).toBe(200);
    expect((await call("DELETE", `/v1.0/1234/backup-configuration/${id}`, { token })).status).toBe(403);
    expect((await call("POST", "/v1.0/1234/agent/delete", { token, body: { MachineAgentId: 202743 } })).status).toBe(403);
    expect((await call("GET", "/v1.0/1234/agent/202743")).status).toBe(200);
    expect((await call("GET", `/v1.0/1234/backup-configuration/${id}`)).body.IsDeleted).toBe(false);
  });

  it("lets an admin delete", async () => {
    const { call } = testServer();
    expect((await call("POST", "/v1.0/1234/agent/delete", { body: { MachineAgentId: 213563 } })).status).toBe(204);
    expect((await call("GET", "/v1.0/1234/agent/213563")).status).toBe(404);
  });
});
