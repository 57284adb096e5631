import type { WorldSnapshot } from "./world/world.js";

/** Something a caller did that changed the world: replaying the commands rebuilds it. */
export interface Command {
  kind: "api" | "clock" | "reset" | "tenant" | "fault" | "token";
  /** Virtual time when it happened. */
  now: number;
  payload: any;
}

/** A data file (or other store) that cannot be used; the message names it, the cause and what to do. */
export class StoreError extends Error {}

/**
 * What the server needs from a durable home for the world: a snapshot plus the commands
 * applied since. `createServer` replays them at start, appends each change before it
 * answers the request that made it, and writes a new snapshot now and then. The SQLite store
 * of `@cloud-backup/server/node` is one; without a store the world lives in memory.
 *
 * Every method is synchronous: a command is durable when `appendMany` returns.
 */
export interface WorldStore {
  /** What the messages call the store (the SQLite store: its file's path). */
  readonly file: string;
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
  /**
   * Every virtual time the store knows the clock showed, with the real time it showed it at
   * (the last command, the snapshot, the clock mark). A restart resumes at or after each.
   * Without it, a restart resumes after the last command or snapshot.
   */
  clockPositions?(): Array<{ now: number; real: number }>;
  /** The clock mark: a virtual time the clock may have shown, at the latest. */
  clockMark?(): { until: number } | undefined;
  /** Records that the clock may show times up to `until` until the real time `real`. */
  writeClockMark?(until: number, real: number): void;
  /** A message naming the store for an error it raised (the SQLite store explains its error codes). */
  explain?(error: unknown): StoreError | undefined;
}
