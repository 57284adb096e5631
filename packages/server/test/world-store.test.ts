/**
 * The core's store hand-over: any object with the WorldStore methods keeps the world, with no
 * SQLite (here an array in memory, as a browser or worker store would be). The SQLite store
 * itself is covered by persistence.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { Command, WorldStore } from "../src/index.js";
import { manualConfig, T0, testServer } from "./helpers.js";

type Snapshot = NonNullable<ReturnType<WorldStore["latestSnapshot"]>>;

/** A WorldStore in memory that also records what the server asked of it. */
function memoryStore() {
  let seq = 0;
  let snapshot: Snapshot | undefined;
  let commands: Array<Command & { seq: number; real: number }> = [];
  const calls: string[] = [];
  const store: WorldStore = {
    file: "memory",
    latestSnapshot: () => (snapshot ? structuredClone(snapshot) : undefined),
    commandsAfter: (after) => structuredClone(commands.filter((c) => c.seq > after)),
    appendMany: (batch) => {
      calls.push(`appendMany ${batch.map((c) => c.kind).join(",")}`);
      for (const c of batch) commands.push({ ...structuredClone(c), seq: ++seq, real: Date.now() });
    },
    get pending() {
      return commands.length;
    },
    writeSnapshot: (world, now) => {
      calls.push("writeSnapshot");
      snapshot = { seq, now, real: Date.now(), world: structuredClone(world) };
      commands = [];
    },
    close: () => {
      calls.push("close");
    },
  };
  return { store, calls, commands: () => commands };
}

describe("createServer with a store of its own", () => {
  it("commits each write before answering and rebuilds the world from snapshot plus commands", async () => {
    const { store, calls, commands } = memoryStore();
    const first = testServer({ store });
    expect(calls).toEqual(["writeSnapshot"]); // the seeded world, before any command
    const created = await first.call("POST", "/v1.0/1234/backup-configuration", {
      body: manualConfig(202743, { BackupConfigurationName: "Kept" }),
    });
    expect(created.status).toBe(200);
    // Answered, so already in the store.
    expect(commands().map((c) => [c.kind, c.payload.operationId])).toEqual([["api", "createBackupConfiguration"]]);
    const rejected = await first.call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { VersionRetention: 45 }) });
    expect(rejected.status).toBe(400);
    expect(commands()).toHaveLength(1); // rejected writes are not kept

    // A second server on the same store (no close(): the first one just stops).
    const second = testServer({ store });
    const read = await second.call("GET", `/v1.0/1234/backup-configuration/${created.body.BackupConfigurationId}`);
    expect(read.status).toBe(200);
    expect(read.body.BackupConfigurationName).toBe("Kept");
    expect(second.app.clock.now()).toBe(T0);

    second.app.close();
    expect(calls.slice(-2)).toEqual(["writeSnapshot", "close"]);
    expect(commands()).toEqual([]);
  });

  it("writes a snapshot after snapshotEvery commands", async () => {
    const { store, calls } = memoryStore();
    const { call } = testServer({ store, snapshotEvery: 2 });
    for (const name of ["one", "two", "three"]) {
      expect(
        (await call("POST", "/v1.0/1234/backup-configuration", { body: manualConfig(202743, { BackupConfigurationName: name }) })).status,
      ).toBe(200);
    }
    expect(calls).toEqual(["writeSnapshot", "appendMany api", "appendMany api", "writeSnapshot", "appendMany api"]);
  });
});
