import Database from "better-sqlite3";
import type { WorldSnapshot } from "./world/world.js";

/** The newest schema this server writes. A file with a higher `user_version` is refused. */
export const SCHEMA_VERSION = 1;

/** Ordered migrations: index i brings a file from schema i to schema i + 1. */
const MIGRATIONS: string[] = [
  `CREATE TABLE snapshots (seq INTEGER PRIMARY KEY, now INTEGER NOT NULL, real INTEGER NOT NULL, world TEXT NOT NULL);
   CREATE TABLE commands (seq INTEGER PRIMARY KEY AUTOINCREMENT, now INTEGER NOT NULL, real INTEGER NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL);`,
];

/** Something a caller did that changed the world: replaying the commands rebuilds it. */
export interface Command {
  kind: "api" | "clock" | "reset" | "tenant" | "fault";
  /** Virtual time when it happened. */
  now: number;
  payload: any;
}

export class StoreError extends Error {}

/**
 * The durable form of the world: a snapshot plus the commands applied since, in SQLite (WAL
 * mode). Each command is committed before the server answers the request that made it, so a
 * crash (even `kill -9`) never loses an acknowledged write.
 */
export class Store {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private sinceSnapshot = 0;

  private constructor(db: Database.Database) {
    this.db = db;
    this.insert = db.prepare("INSERT INTO commands (now, real, kind, payload) VALUES (?, ?, ?, ?)");
    this.sinceSnapshot = (db.prepare("SELECT COUNT(*) AS n FROM commands").get() as { n: number }).n;
  }

  /** Opens (or creates) a data file; throws `StoreError` with a clear message when it cannot be used. */
  static open(file: string, options: { fsync?: boolean } = {}): Store {
    let db: Database.Database;
    try {
      db = new Database(file);
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${options.fsync ? "FULL" : "NORMAL"}`);
      const check = db.pragma("quick_check", { simple: true });
      if (check !== "ok") throw new Error(`integrity check failed: ${String(check)}`);
    } catch (error) {
      throw new StoreError(`${file} is not a usable reference-server data file (corrupt or not SQLite): ${(error as Error).message}`);
    }
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new StoreError(`${file} was written by a newer reference server (schema ${version}; this one knows up to ${SCHEMA_VERSION}). Upgrade the server or use another file.`);
    }
    const migrate = db.transaction(() => {
      for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    });
    migrate();
    return new Store(db);
  }

  /** The latest snapshot, if any. */
  latestSnapshot(): { seq: number; now: number; real: number; world: WorldSnapshot } | undefined {
    const row = this.db.prepare("SELECT seq, now, real, world FROM snapshots ORDER BY seq DESC LIMIT 1").get() as
      | { seq: number; now: number; real: number; world: string }
      | undefined;
    return row ? { ...row, world: JSON.parse(row.world) as WorldSnapshot } : undefined;
  }

  /** Commands after a sequence number, in order. */
  commandsAfter(seq: number): Array<Command & { seq: number; real: number }> {
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
    const info = this.insert.run(command.now, Date.now(), command.kind, JSON.stringify(command.payload));
    this.sinceSnapshot++;
    return Number(info.lastInsertRowid);
  }

  /** Commits several commands in one transaction (group commit), in order. Durable when this returns. */
  appendMany(commands: Command[]): void {
    const real = Date.now();
    this.db.transaction(() => {
      for (const c of commands) this.insert.run(c.now, real, c.kind, JSON.stringify(c.payload));
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
      this.db.prepare("INSERT OR REPLACE INTO snapshots (seq, now, real, world) VALUES (?, ?, ?, ?)").run(snapSeq, now, Date.now(), JSON.stringify(world));
      this.db.prepare("DELETE FROM snapshots WHERE seq < ?").run(snapSeq);
      this.db.prepare("DELETE FROM commands WHERE seq <= ?").run(snapSeq);
    });
    write();
    this.sinceSnapshot = 0;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
