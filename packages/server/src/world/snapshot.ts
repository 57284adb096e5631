/**
 * Snapshots: the whole world as plain JSON, and back. File trees and keys are not kept; they
 * are rebuilt from agent ids on load.
 */
import { keysFor, putAgent } from "../resources/agents/model.js";
import { putConfig } from "../resources/backup-configurations/model.js";
import { addBackup } from "../resources/backups/model.js";
import { putRestore } from "../resources/restore-configurations/model.js";
import { buildFileTree } from "./filetree.js";
import type { Agent, WorldSnapshot } from "./types.js";
import type { World } from "./world.js";

/** The world as a snapshot. */
export function snapshotOf(world: World): WorldSnapshot {
  return {
    version: 1,
    nextId: world.ids(),
    rngState: world.rngState,
    tokens: [...world.tokens],
    users: [...world.users.values()],
    tenants: [...world.tenants.values()].map((t) => ({
      id: t.id,
      agents: [...t.agents.values()].map(({ tree: _tree, keys: _keys, ...rest }) => rest),
      configs: [...t.configs.values()],
      backups: [...t.backups.values()],
      restores: [...t.restores.values()],
    })),
  };
}

/** Fills a cleared world (its id counters already set) from a snapshot made by `snapshotOf`. */
export function loadSnapshot(world: World, snapshot: WorldSnapshot): void {
  world.rngState = snapshot.rngState;
  for (const [token, info] of snapshot.tokens) world.tokens.set(token, info);
  for (const user of snapshot.users) world.users.set(user.username, user);
  for (const t of snapshot.tenants) {
    const tenant = world.createTenant(t.id);
    for (const a of t.agents) {
      const agent: Agent = { ...a, tree: buildFileTree(a.id, a.windows), keys: keysFor(a.id) };
      putAgent(tenant, agent);
    }
    for (const c of t.configs) {
      putConfig(world, tenant, c);
      if (c.nextRun !== null) world.queueRun(c.nextRun, c.id);
    }
    for (const b of t.backups) addBackup(world, tenant, b);
    for (const r of t.restores) putRestore(tenant, r);
  }
}
