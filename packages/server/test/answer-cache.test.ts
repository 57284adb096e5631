import { describe, expect, it } from "vitest";
import { testServer, weeklyConfig } from "./helpers.js";

describe("reuse of large answers on a frozen clock", () => {
  it("answers the same list until something changes, then the new state", async () => {
    const { call, advance } = testServer();
    for (let i = 0; i < 30; i++) {
      expect((await call("POST", "/v1.0/1234/backup-configuration", { body: weeklyConfig(202743, { BackupConfigurationName: `c${i}` }) })).status).toBe(200);
    }
    const first = await call("GET", "/v1.0/1234/backup-configuration");
    expect(first.body.length).toBeGreaterThan(30);
    const again = await call("GET", "/v1.0/1234/backup-configuration");
    expect(again.body).toEqual(first.body);

    // A write is seen at once.
    const created = await call("POST", "/v1.0/1234/backup-configuration", { body: weeklyConfig(202743, { BackupConfigurationName: "late" }) });
    const afterWrite = await call("GET", "/v1.0/1234/backup-configuration");
    expect(afterWrite.body).toHaveLength(first.body.length + 1);
    expect(afterWrite.body.map((c: any) => c.BackupConfigurationId)).toContain(created.body.BackupConfigurationId);

    // A clock move is seen at once: the run started now shows in the configuration's state.
    await call("POST", "/v1.0/1234/backup/action-requested", { body: { Action: "StartManual", Id: created.body.BackupConfigurationId } });
    const running = (await call("GET", "/v1.0/1234/backup-configuration")).body.find((c: any) => c.BackupConfigurationId === created.body.BackupConfigurationId);
    expect(running.BackupState).toBe("StartRequested");
    await advance(3600);
    const done = (await call("GET", "/v1.0/1234/backup-configuration")).body.find((c: any) => c.BackupConfigurationId === created.body.BackupConfigurationId);
    expect(done.BackupState).toBe("Completed");
  });

  it("keeps tenants apart", async () => {
    const { call, newTenant } = testServer();
    const other = await newTenant();
    for (let i = 0; i < 30; i++) await call("POST", "/v1.0/1234/backup-configuration", { body: weeklyConfig(202743, { BackupConfigurationName: `c${i}` }) });
    expect((await call("GET", "/v1.0/1234/backup-configuration")).body.length).toBeGreaterThan(30);
    expect((await call("GET", `/v1.0/${other.tenantId}/backup-configuration`, { token: other.token })).body).toEqual([]);
    expect((await call("GET", "/v1.0/backup-configuration", { token: other.token })).body).toEqual([]);
  });
});
