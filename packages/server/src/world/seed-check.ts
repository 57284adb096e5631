/** The checks of a seed that its schema cannot make: references that must exist, ids used once. */
import { isKnownTimeZone } from "../schedule/index.js";
import { type SeedAgent, SeedError, type WorldSeed } from "./seed-format.js";

export function checkReferences(seed: WorldSeed): void {
  const problems: Array<{ pointer: string; message: string }> = [];
  const tenants = new Set<string>();
  const agentIds = new Set<number>();
  const tokens = new Set<string>();
  const users = new Set<string>();
  for (const [ti, t] of seed.tenants.entries()) {
    const p = `/tenants/${ti}`;
    if (tenants.has(t.id)) problems.push({ pointer: `${p}/id`, message: `repeats tenant ${t.id}` });
    tenants.add(t.id);
    for (const [i, token] of (t.tokens ?? []).entries()) {
      if (tokens.has(token.token)) problems.push({ pointer: `${p}/tokens/${i}/token`, message: "repeats a token of the seed" });
      tokens.add(token.token);
    }
    for (const [i, u] of (t.users ?? []).entries()) {
      if (users.has(u.username)) problems.push({ pointer: `${p}/users/${i}/username`, message: "repeats a user name of the seed" });
      users.add(u.username);
    }
    const agents = new Map<number, SeedAgent>();
    for (const [i, a] of (t.agents ?? []).entries()) {
      if (a.id !== undefined) {
        if (agentIds.has(a.id)) problems.push({ pointer: `${p}/agents/${i}/id`, message: `repeats agent id ${a.id}` });
        agentIds.add(a.id);
        agents.set(a.id, a);
      }
      if (a.encrypted && !a.passphrase)
        problems.push({ pointer: `${p}/agents/${i}/passphrase`, message: "is required when encrypted is true" });
    }
    const configs = new Set<number>();
    for (const [i, c] of (t.configurations ?? []).entries()) {
      if (!agents.has(c.agentId))
        problems.push({
          pointer: `${p}/configurations/${i}/agentId`,
          message: `is not the id of an agent of tenant ${t.id} (give agents an id to refer to them)`,
        });
      const zone = c.schedule.TimeZoneId;
      if (zone !== undefined && !isKnownTimeZone(zone))
        problems.push({
          pointer: `${p}/configurations/${i}/schedule/TimeZoneId`,
          message: 'is not a known Windows time-zone name (for example "Eastern Standard Time")',
        });
      if (c.id !== undefined) {
        if (configs.has(c.id)) problems.push({ pointer: `${p}/configurations/${i}/id`, message: `repeats configuration id ${c.id}` });
        configs.add(c.id);
      }
    }
    for (const [i, b] of (t.backups ?? []).entries()) {
      if (!configs.has(b.configurationId))
        problems.push({ pointer: `${p}/backups/${i}/configurationId`, message: `is not the id of a configuration of tenant ${t.id}` });
      if (b.agentId !== undefined && !agents.has(b.agentId))
        problems.push({ pointer: `${p}/backups/${i}/agentId`, message: `is not the id of an agent of tenant ${t.id}` });
    }
    for (const [i, r] of (t.restores ?? []).entries()) {
      for (const field of ["destinationAgentId", "backupAgentId"] as const) {
        const id = r[field];
        if (id !== undefined && !agents.has(id))
          problems.push({ pointer: `${p}/restores/${i}/${field}`, message: `is not the id of an agent of tenant ${t.id}` });
      }
      if (r.startedAt !== undefined && r.startedAt < r.createdAt)
        problems.push({ pointer: `${p}/restores/${i}/startedAt`, message: "is before createdAt" });
    }
  }
  if (problems.length) throw new SeedError(problems);
}

/** The current world as a seed, times relative to `now` (the virtual time of the export). */
