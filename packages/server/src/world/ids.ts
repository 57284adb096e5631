import type { IdCounters } from "./types.js";

/** The first id of each kind in an empty world. */
const FIRST_IDS: IdCounters = { agent: 300_000, config: 180_000, schedule: 175_000, backup: 400_000, restore: 20_000, file: 700_000 };

/** The world's id counters: global, shared by all tenants, as the real service's ids are. */
export class IdSource {
  private next: IdCounters = { ...FIRST_IDS };

  /** The next id of a kind. */
  take(kind: keyof IdCounters): number {
    return this.next[kind]++;
  }

  /** Raises the counters above ids given by a seed (`exact`: to the given next ids, never below ids in use). */
  bump(ids: Partial<IdCounters>, exact = false): void {
    for (const [key, value] of Object.entries(ids) as Array<[keyof IdCounters, number | undefined]>) {
      if (value === undefined) continue;
      const next = exact ? value : value + 1;
      if (next > this.next[key]) this.next[key] = next;
    }
  }

  /** The counters (for snapshots). */
  current(): IdCounters {
    return { ...this.next };
  }

  /** Sets the counters from a snapshot, or back to an empty world's. */
  reset(ids: IdCounters = FIRST_IDS): void {
    this.next = { ...ids };
  }
}
