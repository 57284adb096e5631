import { existsSync, statSync, unlinkSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import type { WorldSnapshot } from "./world/world.js";
import { type Command, StoreError, type WorldStore } from "./world-store.js";
import { APPLICATION_ID, code, openError, SCHEMA_VERSION, TABLES, writeHolder } from "./store-file.js";

/**
 * better-sqlite3, loaded on first use: a server without a data file never loads the native
 * module (a few milliseconds of start-up, and no native build needed to run in memory).
 */
let sqlite: typeof Database | undefined;
const openDatabase = (file: string, options: Database.Options): Database.Database => {
  sqlite ??= createRequire(import.meta.url)("better-sqlite3") as typeof Database;
  return new sqlite(file, options);
};

export { APPLICATION_ID, type Holder, openError, readHolder, SCHEMA_VERSION } from "./store-file.js";

/** Ordered migrations: index i brings a file from schema i to schema i + 1. */
const MIGRATIONS: string[] = [
  `CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, now INTEGER NOT NULL, real INTEGER NOT NULL, world TEXT NOT NULL);
   CREATE TABLE commands (seq INTEGER PRIMARY KEY AUTOINCREMENT, now INTEGER NOT NULL, real INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL);`,
  // The furthest virtual time the server may have shown, and the real time the clock reaches it at.
  `CREATE TABLE clock (id INTEGER PRIMARY KEY CHECK (id = 1), until INTEGER NOT NULL, real INTEGER NOT NULL);`,
];

export { type Command, StoreError } from "./world-store.js";

/** A place where a test can make the data file fail, as a full disk or an I/O error would. */
export type StoreStep = "commit" | "snapshot" | "read" | "clock";

/**
 * The durable form of the world: a snapshot plus the commands applied since, in SQLite (WAL
 * mode). Each command is committed before the server answers the request that made it, so a
 * crash (even `kill -9`) never loses an acknowledged write.
 *
 * The connection runs in SQLite's exclusive locking mode: from `open` to `close` (or the end of
 * the process, however it ends) no other server or SQLite client can read or write the file.
 * The operating system drops the lock with the process, so a crash never leaves a stale lock.
 */
export class Store implements WorldStore {
  /**
   * Test seams: `opened` sees every store opened, `fail` is called at each step that touches
   * the disk and may throw (as a full disk would) to exercise the failure paths.
   */
  static hooks: { opened?: (store: Store) => void; fail?: (step: StoreStep) => void } = {};

  readonly file: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private sinceSnapshot = 0;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.db = db;
    this.insert = db.prepare("INSERT INTO commands (now, real, kind, payload) VALUES (?, ?, ?, ?)");
    this.sinceSnapshot = (db.prepare("SELECT COUNT(*) AS n FROM commands").get() as { n: number }).n;
  }

  /** Opens (or creates) a data file; throws `StoreError` with a clear message when it cannot be used. */
  static open(path: string, options: { fsync?: boolean } = {}): Store {
    const file = resolve(path);
    const dir = dirname(file);
    if (!existsSync(dir)) {
      throw new StoreError(
        `cannot create the data file ${file}: the directory ${dir} does not exist. Create it first (mkdir -p ${dir}) or give a file in an existing directory`,
      );
    }
    if (existsSync(file)) {
      if (statSync(file).isDirectory())
        throw new StoreError(`the data file ${file} is a directory. Give the path of a file, for example ${file}/world.db`);
      // Look before touching: a file that is not ours is refused without being written to.
      inspect(file, "read-only");
    }
    let db: Database.Database | undefined;
    try {
      db = openDatabase(file, { timeout: 0 });
      db.pragma("locking_mode = EXCLUSIVE");
      // Takes the lock now; it is held until the connection closes.
      db.exec("BEGIN EXCLUSIVE; COMMIT");
      inspect(file, "locked", db);
      const check = db.pragma("quick_check", { simple: true });
      if (check !== "ok")
        throw new StoreError(
          `the data file ${file} is damaged (integrity check: ${String(check)}). Restore it from a copy, or give a new file`,
        );
      if (db.pragma("journal_mode = WAL", { simple: true }) !== "wal")
        throw new StoreError(`the data file ${file} cannot be switched to WAL mode. Give a file on a local disk`);
      db.pragma(`synchronous = ${options.fsync ? "FULL" : "NORMAL"}`);
      const version = db.pragma("user_version", { simple: true }) as number;
      const migrate = db.transaction(() => {
        for (let v = version; v < SCHEMA_VERSION; v++) db!.exec(MIGRATIONS[v]!);
        db!.pragma(`user_version = ${SCHEMA_VERSION}`);
        db!.pragma(`application_id = ${APPLICATION_ID}`);
      });
      migrate();
    } catch (error) {
      db?.close();
      if (error instanceof StoreError) throw error;
      throw openError(file, error);
    }
    writeHolder(file);
    const store = new Store(file, db);
    Store.hooks.opened?.(store);
    return store;
  }

  /** The latest snapshot, if any. */
  latestSnapshot(): { seq: number; now: number; real: number; world: WorldSnapshot } | undefined {
    Store.hooks.fail?.("read");
    const row = this.db.prepare("SELECT seq, now, real, world FROM snapshots ORDER BY seq DESC LIMIT 1").get() as
      | { seq: number; now: number; real: number; world: string }
      | undefined;
    return row ? { ...row, world: JSON.parse(row.world) as WorldSnapshot } : undefined;
  }

  /** Commands after a sequence number, in order. */
  commandsAfter(seq: number): Array<Command & { seq: number; real: number }> {
    Store.hooks.fail?.("read");
    const rows = this.db.prepare("SELECT seq, now, real, kind, payload FROM commands WHERE seq > ? ORDER BY seq").all(seq) as Array<{
      seq: number;
      now: number;
      real: number;
      kind: Command["kind"];
      payload: string;
    }>;
    return rows.map((r) => ({ seq: r.seq, now: r.now, real: r.real, kind: r.kind, payload: JSON.parse(r.payload) }));
  }

  /** Commits a command; returns its sequence number. Durable when this returns. */
  append(command: Command): number {
    let seq = 0;
    this.db.transaction(() => {
      seq = Number(this.insert.run(command.now, Date.now(), command.kind, JSON.stringify(command.payload)).lastInsertRowid);
      Store.hooks.fail?.("commit");
    })();
    this.sinceSnapshot++;
    return seq;
  }

  /**
   * Commits several commands in one transaction (group commit), in order. Durable when this
   * returns; when it throws, none of them is in the file.
   */
  appendMany(commands: Command[]): void {
    const real = Date.now();
    this.db.transaction(() => {
      for (const c of commands) this.insert.run(c.now, real, c.kind, JSON.stringify(c.payload));
      Store.hooks.fail?.("commit");
    })();
    this.sinceSnapshot += commands.length;
  }

  /** How many commands were appended since the last snapshot. */
  get pending(): number {
    return this.sinceSnapshot;
  }

  /** Writes a snapshot covering every command so far and drops those commands. */
  writeSnapshot(world: WorldSnapshot, now: number): void {
    const write = this.db.transaction(() => {
      const last = (this.db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM commands").get() as { seq: number }).seq;
      // AUTOINCREMENT never reuses a number, so later commands always sort after this snapshot.
      const snapSeq = Math.max(last, (this.db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM snapshots").get() as { seq: number }).seq);
      this.db
        .prepare("INSERT OR REPLACE INTO snapshots (seq, now, real, world) VALUES (?, ?, ?, ?)")
        .run(snapSeq, now, Date.now(), JSON.stringify(world));
      this.db.prepare("DELETE FROM snapshots WHERE seq < ?").run(snapSeq);
      this.db.prepare("DELETE FROM commands WHERE seq <= ?").run(snapSeq);
      Store.hooks.fail?.("snapshot");
    });
    write();
    this.sinceSnapshot = 0;
  }

  /**
   * The virtual times the file records, each with the real time it was (or will be) reached
   * at: the latest snapshot, the last command and the clock mark.
   */
  /** Explains a SQLite error met while reading the file, naming the file (see {@link openError}). */
  explain(error: unknown): StoreError | undefined {
    return /^SQLITE_/.test(code(error)) ? openError(this.file, error) : undefined;
  }

  clockPositions(): Array<{ now: number; real: number }> {
    const rows = [
      this.db.prepare("SELECT now, real FROM snapshots ORDER BY seq DESC LIMIT 1").get(),
      this.db.prepare("SELECT now, real FROM commands ORDER BY seq DESC LIMIT 1").get(),
      this.db.prepare("SELECT until AS now, real FROM clock WHERE id = 1").get(),
    ] as Array<{ now: number; real: number } | undefined>;
    return rows.filter((r): r is { now: number; real: number } => r !== undefined);
  }

  /** The furthest virtual time recorded by `writeClockMark`, with the real time the clock reaches it at. */
  clockMark(): { until: number; real: number } | undefined {
    return this.db.prepare("SELECT until, real FROM clock WHERE id = 1").get() as { until: number; real: number } | undefined;
  }

  /** Records that the virtual clock shows no time after `until` before the real time `real`. */
  writeClockMark(until: number, real: number): void {
    this.db.transaction(() => {
      this.db.prepare("INSERT OR REPLACE INTO clock (id, until, real) VALUES (1, ?, ?)").run(until, real);
      Store.hooks.fail?.("clock");
    })();
  }

  close(): void {
    if (!this.db.open) return;
    this.db.close();
    try {
      unlinkSync(`${this.file}.lock`);
    } catch {
      // Already gone, or never written: the lock itself was SQLite's.
    }
  }
}

/**
 * Checks that a file is a data file of this server (or an empty one): `read-only` opens it
 * read-only first, `locked` checks again on the locked connection. Throws `StoreError` when not.
 */
function inspect(file: string, how: "read-only" | "locked", locked?: Database.Database): void {
  let db: Database.Database | undefined = locked;
  try {
    db ??= openDatabase(file, { readonly: true, fileMustExist: true, timeout: 0 });
    const id = db.pragma("application_id", { simple: true }) as number;
    const version = db.pragma("user_version", { simple: true }) as number;
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    const ours =
      id === APPLICATION_ID || (id === 0 && version === 1 && TABLES.every((t) => tables.includes(t)) && tables.length === TABLES.length);
    const empty = id === 0 && version === 0 && tables.length === 0;
    if (!ours && !empty) {
      const what = tables.length ? `tables ${tables.slice(0, 5).join(", ")}${tables.length > 5 ? ", ..." : ""}` : "no tables";
      throw new StoreError(
        `the data file ${file} is a SQLite database of another program (${what}; application_id ${id}, user_version ${version}). The server does not change it: give a new file name`,
      );
    }
    if (ours && version > SCHEMA_VERSION) {
      throw new StoreError(
        `the data file ${file} was written by a newer reference server (schema ${version}; this one knows up to ${SCHEMA_VERSION}). Upgrade the server or give another file`,
      );
    }
    if (ours && version >= 1 && !TABLES.every((t) => tables.includes(t))) {
      throw new StoreError(
        `the data file ${file} is damaged (tables ${TABLES.join(" and ")} are missing). Restore it from a copy, or give a new file`,
      );
    }
  } catch (error) {
    if (how === "read-only") db?.close();
    if (error instanceof StoreError) throw error;
    throw openError(file, error);
  }
  if (how === "read-only") db.close();
}
