import { describe, expect, it } from "vitest";
import { BACKUP_LIFECYCLE, RESTORE_LIFECYCLE, RESTORE_STATES, followsLifecycle, toMermaid } from "../src/index.js";
import { testServer } from "./helpers.js";

describe("lifecycle tables", () => {
  it("every timeline the world builds follows the backup and restore lifecycles", async () => {
    const { app, call, advance } = testServer();
    // A run to completion, a stopped run and the seeded history.
    const started = await call("POST", "/v1.0/1234/backup/action-requested", {
      body: { Action: "StartManual", Id: [...app.world.tenants.get("1234")!.configs.keys()][0] },
    });
    expect(started.status).toBe(200);
    const config = [...app.world.tenants.get("1234")!.configs.values()].find((c) => c.agentId === 213564)!;
    const second = await call("POST", "/v1.0/1234/backup/action-requested", { body: { Action: "StartManual", Id: config.id } });
    await advance(5);
    expect((await call("POST", "/v1.0/1234/backup/action-requested", { body: { Action: "StopManual", Id: second.body } })).status).toBe(
      204,
    );
    await advance(3600);
    let checked = 0;
    for (const tenant of app.world.tenants.values()) {
      for (const backup of tenant.backups.values()) {
        expect(
          followsLifecycle(
            BACKUP_LIFECYCLE,
            backup.timeline.map((s) => s.state),
          ),
          JSON.stringify(backup.timeline),
        ).toBe(true);
        checked++;
      }
      for (const restore of tenant.restores.values()) {
        expect(
          followsLifecycle(
            RESTORE_LIFECYCLE,
            restore.timeline.map((s) => RESTORE_STATES[s.state]!),
          ),
        ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("rejects a sequence that skips a state", () => {
    expect(followsLifecycle(BACKUP_LIFECYCLE, ["StartRequested", "InProgress"])).toBe(false);
    expect(followsLifecycle(RESTORE_LIFECYCLE, ["Creating", "Completed"])).toBe(false);
  });

  it("draws each lifecycle as a Mermaid state diagram", () => {
    const diagram = toMermaid(BACKUP_LIFECYCLE);
    expect(diagram.split("\n")[0]).toBe("stateDiagram-v2");
    expect(diagram).toContain("InProgress --> CompletedWithErrors");
    expect(toMermaid(RESTORE_LIFECYCLE)).toContain("Creating --> StartRequested: StartManual");
  });
});
