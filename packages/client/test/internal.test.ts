/** `client.internal`: the internal endpoints, called as the official clients call them, checked against internal.yaml. */
import { internalOperations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { BackupApiError } from "../src/index.js";
import { inProcessServer } from "./helpers.js";

describe("client.internal", () => {
  it("has one method per internal endpoint and none of them among the operations", () => {
    const { client } = inProcessServer();
    const c = client();
    expect(Object.keys(c.internal).sort()).toEqual(internalOperations.map((o) => o.operationId).sort());
    for (const op of internalOperations) expect(op.operationId in c).toBe(false);
  });

  it("reads the level changeAgentLogLevel set, the busy flag, events and configuration", async () => {
    const s = inProcessServer();
    const c = s.client();
    expect(await c.internal.getAgentLogLevel({ machineAgentId: 202743 })).toBe("Info");
    await c.changeAgentLogLevel({ body: { MachineAgentId: 202743, LoggingLevelId: 5 } });
    expect(await c.internal.getAgentLogLevel({ machineAgentId: 202743 })).toBe("Debug");
    expect(await c.internal.getAgentBusy({ machineAgentId: 202743 })).toBe(false);
    const events = await c.internal.listAgentEvents({ machineAgentId: 202743 });
    expect(events[0]).toMatchObject({ data: { Event: "Heartbeat", MachineAgentId: 202743 } });
    const config = await c.internal.getAgentConfiguration({ machineAgentId: 202743 });
    expect(config.SystemPreferences.Logging.Level).toBe("Debug");
    expect(config.BackupConfigurations.map((b) => b.Name)).toContain("Weekly Website Backup");
    expect(s.problems).toEqual([]);
  });

  it("asks for a log upload and lists it", async () => {
    const s = inProcessServer();
    const c = s.client();
    const id = await c.internal.requestAgentLog({ machineAgentId: 202743 });
    expect(id).toBe(1);
    await s.advance(10);
    const files = await c.internal.listAgentLogFiles({ machineAgentId: 202743 });
    expect(files).toEqual([expect.objectContaining({ CurrentState: "Completed", FilePath: expect.stringContaining("202743-1.log") })]);
    expect(s.exchanges.map((e) => new URL(e.url).pathname)).toEqual([
      "/v1.0/1234/agent/requestlog/202743",
      "/v1.0/1234/agent/logfiles/202743",
    ]);
    expect(s.problems).toEqual([]);
  });

  it("throws a typed error for an unknown cleanup", async () => {
    const s = inProcessServer();
    const error = await s
      .client()
      .internal.getCleanupReport({ cleanupId: 42 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupApiError);
    expect((error as BackupApiError).status).toBe(404);
    expect((error as BackupApiError).operationId).toBe("getCleanupReport");
    expect(s.problems).toEqual([]);
  });
});
