import { describe, expect, it, vi } from "vitest";
import { handlers } from "../src/handlers.js";
import { PIECEWISE_MIN_BYTES, piecewise } from "../src/stream.js";
import { testServer, weeklyConfig } from "./helpers.js";

describe("reuse of large answers on a frozen clock", () => {
  it("answers the same list until something changes, then the new state", async () => {
    const { call, advance } = testServer();
    for (let i = 0; i < 30; i++) {
      expect(
        (await call("POST", "/v1.0/1234/backup-configuration", { body: weeklyConfig(202743, { BackupConfigurationName: `c${i}` }) }))
          .status,
      ).toBe(200);
    }
    const first = await call("GET", "/v1.0/1234/backup-configuration");
    expect(first.body.length).toBeGreaterThan(30);
    const again = await call("GET", "/v1.0/1234/backup-configuration");
    expect(again.body).toEqual(first.body);

    // A write is seen at once.
    const created = await call("POST", "/v1.0/1234/backup-configuration", {
      body: weeklyConfig(202743, { BackupConfigurationName: "late" }),
    });
    const afterWrite = await call("GET", "/v1.0/1234/backup-configuration");
    expect(afterWrite.body).toHaveLength(first.body.length + 1);
    expect(afterWrite.body.map((c: any) => c.BackupConfigurationId)).toContain(created.body.BackupConfigurationId);

    // A clock move is seen at once: the run started now shows in the configuration's state.
    await call("POST", "/v1.0/1234/backup/action-requested", { body: { Action: "StartManual", Id: created.body.BackupConfigurationId } });
    const running = (await call("GET", "/v1.0/1234/backup-configuration")).body.find(
      (c: any) => c.BackupConfigurationId === created.body.BackupConfigurationId,
    );
    expect(running.BackupState).toBe("StartRequested");
    await advance(3600);
    const done = (await call("GET", "/v1.0/1234/backup-configuration")).body.find(
      (c: any) => c.BackupConfigurationId === created.body.BackupConfigurationId,
    );
    expect(done.BackupState).toBe("Completed");
  });

  it("writes a kept answer of several megabytes in pieces, with its length", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ i, pad: "x".repeat(64) }))));
    expect(bytes.byteLength).toBeGreaterThan(PIECEWISE_MIN_BYTES);
    const reader = piecewise(bytes).getReader();
    const pieces: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(r.value);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.buffer).toBe(bytes.buffer); // views of the kept bytes, not copies
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes))).toBe(true);
  });

  it("keeps one tenant's answers while another tenant writes", async () => {
    const { call, newTenant } = testServer();
    const other = await newTenant();
    const spy = vi.spyOn(handlers, "listAgents");
    const first = await call("GET", "/v1.0/1234/user/agents");
    expect((await call("POST", `/v1.0/${other.tenantId}/user/wakeupagents`, { token: other.token })).status).toBe(200);
    expect((await call("GET", "/v1.0/1234/user/agents")).body).toEqual(first.body);
    expect(spy).toHaveBeenCalledTimes(1);
    // A write to the tenant itself is seen at once.
    expect((await call("POST", "/v1.0/1234/agent/enable", { body: { MachineAgentId: 213564, Enable: false } })).status).toBe(204);
    expect((await call("GET", "/v1.0/1234/user/agents")).body.find((a: any) => a.MachineAgentId === 213564).IsDisabled).toBe(true);
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });

  it("keeps tenants apart", async () => {
    const { call, newTenant } = testServer();
    const other = await newTenant();
    for (let i = 0; i < 30; i++)
      await call("POST", "/v1.0/1234/backup-configuration", { body: weeklyConfig(202743, { BackupConfigurationName: `c${i}` }) });
    expect((await call("GET", "/v1.0/1234/backup-configuration")).body.length).toBeGreaterThan(30);
    expect((await call("GET", `/v1.0/${other.tenantId}/backup-configuration`, { token: other.token })).body).toEqual([]);
    expect((await call("GET", "/v1.0/backup-configuration", { token: other.token })).body).toEqual([]);
  });
});

describe("large answers", () => {
  it("are serialised in chunks, shared by concurrent readers, and let other requests through meanwhile", { timeout: 120_000 }, async () => {
    const { app, call } = testServer();
    for (let i = 0; i < 800; i++) {
      expect(
        (await call("POST", "/v1.0/1234/backup-configuration", { body: weeklyConfig(202743, { BackupConfigurationName: `big${i}` }) }))
          .status,
      ).toBe(200);
    }
    const order: string[] = [];
    const get = (path: string, name: string) =>
      Promise.resolve(app.request(path, { headers: { "X-Auth-Token": "demo-token" } })).then(async (res: Response) => {
        const text = await res.text();
        order.push(name);
        return { res, text };
      });
    // Three readers of the same large list at once, and a small read sent after them.
    const big = [
      get("/v1.0/1234/backup-configuration", "big1"),
      get("/v1.0/1234/backup-configuration", "big2"),
      get("/v1.0/1234/backup-configuration", "big3"),
    ];
    const small = get("/v1.0/1234/agent/213564", "small");
    const answers = await Promise.all([...big, small]);
    // The small read did not wait for the large list to be encoded.
    expect(order.indexOf("small")).toBeLessThan(order.indexOf("big1"));
    const lists = answers.slice(0, 3).map((a) => a.text);
    expect(lists[1]).toBe(lists[0]);
    expect(lists[2]).toBe(lists[0]);
    expect(JSON.parse(lists[0]!)).toHaveLength(800 + 3);
    // Kept once complete: the next read is the same answer, checked against the spec like any other.
    const again = await call("GET", "/v1.0/1234/backup-configuration");
    expect(JSON.stringify(again.body)).toBe(lists[0]);
  });
});
