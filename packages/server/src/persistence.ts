import type { VirtualClock } from "./clock.js";
import type { OperationName } from "./handler-types.js";
import { handlers } from "./handlers.js";
import { internalHandlers } from "./internal/mount.js";
import { applyFaultEffect } from "./admin.js";
import { ApiError } from "./problem.js";
import { type Command, StoreError, type WorldStore } from "./world-store.js";
import { applyTenant, type SeedOptions, seedWorld } from "./world/seed.js";
import type { World } from "./world/world.js";

/**
 * How far ahead of the clock a clock mark is written, in real milliseconds: the clock is
 * persisted at most this often, and a restart may resume up to this much later (at the speed
 * the clock ran at) than the last time shown.
 */
const CLOCK_MARK_MS = 250;

/** Applies one command to the world, exactly as when it was first accepted. */
export function applyCommand(world: World, seed: SeedOptions, command: Command): void {
  const p = command.payload;
  world.catchUp(command.now);
  switch (command.kind) {
    case "api": {
      const tenant = world.tenants.get(p.tenantId);
      // An internal endpoint's write (a log upload request) replays like an operation's.
      const handler = (handlers[p.operationId as OperationName] ??
        internalHandlers[p.operationId as keyof typeof internalHandlers]) as unknown as (ctx: unknown) => unknown;
      if (!tenant || !handler) throw new Error(`cannot replay ${p.operationId} for tenant ${p.tenantId}`);
      handler({ world, tenant, params: p.params, body: p.body, now: command.now });
      break;
    }
    case "clock":
      world.catchUp(p.to);
      break;
    case "reset":
      world.clear();
      seedWorld(world, seed, command.now);
      break;
    case "tenant":
      applyTenant(world, p, command.now);
      break;
    case "fault":
      applyFaultEffect(world, p, command.now);
      break;
    case "token":
      world.tokens.set(p.token, { tenantId: p.tenantId, role: p.role, expires: p.expires });
      break;
  }
}

/**
 * The virtual time a server on this data file starts at: never before a time the previous
 * server showed (its commands, snapshot and clock mark), plus the real time elapsed since,
 * at `speed`; and never before `start` when one is given.
 */
export function resumeTime(store: WorldStore, start: number | undefined, speed: number): number | undefined {
  const marks = store.clockPositions ? store.clockPositions() : lastPositions(store);
  if (!marks.length) return start;
  const real = Date.now();
  return Math.max(start ?? Number.NEGATIVE_INFINITY, ...marks.map((m) => m.now + Math.max(0, real - m.real) * speed));
}

/** The clock positions a store without clock marks gives: its last command, else its snapshot. */
function lastPositions(store: WorldStore): Array<{ now: number; real: number }> {
  const snapshot = store.latestSnapshot();
  const last = store.commandsAfter(snapshot?.seq ?? 0).at(-1) ?? snapshot;
  return last ? [{ now: last.now, real: last.real }] : [];
}

export interface PersistenceOptions {
  store: WorldStore | undefined;
  world: World;
  clock: VirtualClock;
  seed: SeedOptions;
  /** Write a snapshot after this many commands. */
  snapshotEvery: number;
  log: (line: string) => void;
}

/**
 * Keeps the world in its data file: loads it at start, commits each change before it is
 * answered (several changes of one turn of the event loop share a transaction), undoes the
 * changes of a commit that fails, and records how far the virtual clock went.
 */
export class Persistence {
  /** Set when the data file failed and the world could not be rebuilt from it: the server then refuses service. */
  failure: string | undefined;
  private readonly o: PersistenceOptions;
  private queue: Array<{ command: Command; done: () => void; fail: (error: unknown) => void }> = [];
  /** Waiters for the end of the current batch (reads wait, so they never see a change that is not committed). */
  private waiters: Array<() => void> = [];
  /** The furthest virtual time the data file guarantees a restart resumes at or after. */
  private clockSafe = Number.NEGATIVE_INFINITY;

  constructor(options: PersistenceOptions) {
    this.o = options;
  }

  get store(): WorldStore | undefined {
    return this.o.store;
  }

  /** Builds the world: from the data file when there is one, otherwise from the seed. Throws `StoreError` naming the file. */
  load(): void {
    const { store, world, clock, seed } = this.o;
    if (!store) {
      seedWorld(world, seed, clock.now());
      return;
    }
    try {
      const { last, snapshot } = this.rebuild();
      const mark = store.clockMark?.();
      this.clockSafe = Math.max(last ?? Number.NEGATIVE_INFINITY, mark?.until ?? Number.NEGATIVE_INFINITY);
      if (!snapshot) store.writeSnapshot(world.toJSON(), clock.now());
    } catch (error) {
      store.close();
      if (error instanceof StoreError) throw error;
      const explained = store.explain?.(error);
      if (explained) throw explained;
      throw new StoreError(
        `the data file ${store.file} cannot be replayed (${(error as Error).message}). It was changed by another program or a different server version: restore it from a copy, or give a new file`,
      );
    }
  }

  /** Replaces the world with what the data file holds; answers the virtual time of the last change, and whether there was a snapshot. */
  private rebuild(): { last: number | undefined; snapshot: boolean } {
    const { store, world, clock, seed } = this.o;
    const snapshot = store!.latestSnapshot();
    const commands = store!.commandsAfter(snapshot?.seq ?? 0);
    const last = commands.at(-1) ?? snapshot;
    if (snapshot) world.load(snapshot.world);
    else {
      world.clear();
      seedWorld(world, seed, last?.now ?? clock.now());
    }
    for (const command of commands) applyCommand(world, seed, command);
    return { last: last?.now, snapshot: snapshot !== undefined };
  }

  /** Throws the 503 a request gets when the data file has failed for good. */
  assertUsable(): void {
    if (this.failure) throw this.unusable();
  }

  private unusable(): ApiError {
    return new ApiError(
      503,
      `The data file failed (${this.failure}) and the server accepts no more requests to the API. Restart it once the disk is fixed; every acknowledged write is kept.`,
    );
  }

  /**
   * Records a change already applied to the world. Resolves once it is committed; rejects
   * with a 503 `ApiError` when the commit fails, after putting the world back as it was.
   */
  persist(command: Command): Promise<void> {
    // Kept read answers of this tenant (or of every tenant, for a control-API change) no longer hold.
    this.o.world.changed(command.kind === "api" || command.kind === "token" ? command.payload.tenantId : undefined);
    if (!this.o.store) return Promise.resolve();
    return new Promise((done, fail) => {
      // After the other requests of this turn of the event loop (setImmediate where there is one).
      if (this.queue.push({ command, done, fail }) === 1) (globalThis.setImmediate ?? setTimeout)(() => this.flush());
    });
  }

  /** Resolves when no change waits for its commit (at once, without a promise, when none does). */
  settled(): Promise<void> | undefined {
    if (!this.queue.length) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private flush(): void {
    const { store, world, clock, log } = this.o;
    const batch = this.queue;
    const waiters = this.waiters;
    this.queue = [];
    this.waiters = [];
    try {
      if (this.failure) throw new Error(this.failure);
      store!.appendMany(batch.map((b) => b.command));
    } catch (error) {
      const cause = (error as Error).message;
      let answer: ApiError;
      if (this.failure) answer = this.unusable();
      else {
        log(`data file ${store!.file}: a commit of ${batch.length} change(s) failed (${cause}); they are undone and answered 503`);
        try {
          // The changes of the whole batch are in the world but not in the file: rebuild it from the file.
          this.rebuild();
          answer = new ApiError(503, `The change could not be saved to the data file (${cause}), so it was not made. Retry later.`, [], {
            "retry-after": "1",
          });
        } catch (rebuildError) {
          this.failure = `${cause}; reading it back failed too: ${(rebuildError as Error).message}`;
          log(
            `data file ${store!.file}: the world cannot be rebuilt (${(rebuildError as Error).message}); the server refuses every request until it is restarted`,
          );
          answer = this.unusable();
        }
      }
      for (const b of batch) b.fail(answer);
      for (const w of waiters) w();
      return;
    }
    this.clockSafe = Math.max(this.clockSafe, ...batch.map((b) => b.command.now));
    for (const b of batch) b.done();
    for (const w of waiters) w();
    if (store!.pending >= this.o.snapshotEvery) {
      try {
        // Here no applied change waits for its commit, so the snapshot holds only committed ones.
        store!.writeSnapshot(world.toJSON(), clock.now());
      } catch (error) {
        // The commands are committed: the snapshot is tried again after the next commit.
        log(`data file ${store!.file}: writing a snapshot failed (${(error as Error).message}); will retry`);
      }
    }
  }

  /**
   * Makes sure a restart resumes the clock at or after its current time: called around every
   * request, it writes a clock mark a little ahead when the clock passed the last one. Throws
   * when that write fails (with `strict`; otherwise logs).
   */
  markClock(strict: boolean): void {
    const { store, clock } = this.o;
    if (!store || this.failure) return;
    const now = clock.now();
    if (now <= this.clockSafe) return;
    if (!store.writeClockMark) return;
    const until = now + CLOCK_MARK_MS * clock.speed;
    try {
      store.writeClockMark(until, Date.now() + CLOCK_MARK_MS);
      this.clockSafe = until;
    } catch (error) {
      if (strict)
        throw new ApiError(503, `The clock could not be saved to the data file (${(error as Error).message}). Retry later.`, [], {
          "retry-after": "1",
        });
      this.o.log(`data file ${store.file}: writing the clock failed (${(error as Error).message})`);
    }
  }

  /** Writes a final snapshot and closes the data file. */
  close(): void {
    const { store, world, clock, log } = this.o;
    if (!store) return;
    try {
      if (!this.failure) store.writeSnapshot(world.toJSON(), clock.now());
    } catch (error) {
      log(`data file ${store.file}: the final snapshot failed (${(error as Error).message}); the commands since the last one are kept`);
    }
    store.close();
  }
}
