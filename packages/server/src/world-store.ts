import type { Command } from "./store.js";
import type { WorldSnapshot } from "./world/world.js";

/**
 * What the server needs from a durable home for the world: a snapshot plus the commands
 * applied since. `createServer` replays them at start, appends each change before it
 * answers the request that made it, and writes a new snapshot now and then. The SQLite store
 * of `@cloud-backup/server/node` is one; without a store the world lives in memory.
 *
 * Every method is synchronous: a command is durable when `appendMany` returns.
 */
export interface WorldStore {
  /** The latest snapshot, if any. */
  latestSnapshot(): { seq: number; now: number; real: number; world: WorldSnapshot } | undefined;
  /** Commands after a sequence number, in order. */
  commandsAfter(seq: number): Array<Command & { seq: number; real: number }>;
  /** Commits several commands together, in order. Durable when this returns. */
  appendMany(commands: Command[]): void;
  /** How many commands were appended since the last snapshot. */
  readonly pending: number;
  /** Writes a snapshot covering every command so far (the commands it covers may be dropped). */
  writeSnapshot(world: WorldSnapshot, now: number): void;
  /** Releases the store; called by the server's `close()` after a final snapshot. */
  close(): void;
}

export type { Command };
