/**
 * The data file's identity and the messages about it: the schema version and application id
 * this server writes, the `.lock` note naming the holder, and the hints for errors met while
 * opening a file (each a `StoreError` naming the file).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { StoreError } from "./world-store.js";

/** The newest schema this server writes. A file with a higher `user_version` is refused. */
export const SCHEMA_VERSION = 2;

/**
 * Written to the SQLite header (`PRAGMA application_id`, "CBRS") of every data file, so that a
 * SQLite file of another program is recognised, and refused, before anything is written to it.
 */
export const APPLICATION_ID = 0x43425253;

/** The tables of each schema version (schema 1 files were written before the application id). */
export const TABLES = ["commands", "snapshots"];

/** Who holds a data file: written next to it (`<file>.lock`) for the messages of other servers. */
export interface Holder {
  pid: number;
  host: string;
  since: string;
}

export const code = (error: unknown) => (error as { code?: string }).code ?? "";
export const why = (error: unknown) => (error as Error).message;

export function writeHolder(file: string): void {
  const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    writeFileSync(`${file}.lock`, `${JSON.stringify(holder)}\n`);
  } catch {
    // Only informative: other servers then say "holder unknown".
  }
}

/** Who holds a data file, as far as its `.lock` note tells (the lock itself is SQLite's). */
export function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(`${file}.lock`, "utf8")) as Holder;
    if (typeof holder.pid !== "number" || typeof holder.host !== "string") return undefined;
    if (holder.host === hostname()) {
      try {
        process.kill(holder.pid, 0);
      } catch (error) {
        if (code(error) === "ESRCH") return undefined; // a note left by a process that died
      }
    }
    return holder;
  } catch {
    return undefined;
  }
}

export function inUse(file: string): StoreError {
  const holder = readHolder(file);
  const who = holder
    ? `another reference server (pid ${holder.pid} on ${holder.host}, since ${holder.since})`
    : "another process (holder unknown)";
  return new StoreError(`the data file ${file} is in use by ${who}. Stop that server first, or give this one its own data file`);
}

/** Turns a SQLite or file-system error met while opening a data file into a message with a hint. */
export function openError(file: string, error: unknown): StoreError {
  const c = code(error);
  if (c === "SQLITE_BUSY" || c.startsWith("SQLITE_BUSY_") || c === "SQLITE_LOCKED") return inUse(file);
  if (c === "SQLITE_NOTADB")
    return new StoreError(
      `the data file ${file} is not a SQLite database (${why(error)}). Give a new file name: the server creates the file`,
    );
  if (c.startsWith("SQLITE_CORRUPT"))
    return new StoreError(`the data file ${file} is damaged (${why(error)}). Restore it from a copy, or give a new file`);
  if (c.startsWith("SQLITE_READONLY") || c === "SQLITE_PERM") {
    return new StoreError(
      `the data file ${file} cannot be written (${why(error)}). Make it and its directory writable, or copy it somewhere writable`,
    );
  }
  if (c.startsWith("SQLITE_CANTOPEN") || c === "EACCES" || c.startsWith("SQLITE_IOERR")) {
    return new StoreError(
      `the data file ${file} cannot be opened (${why(error)}). Check that it and its directory can be read and written`,
    );
  }
  if (c === "SQLITE_FULL")
    return new StoreError(`the data file ${file} cannot be written: the disk is full. Free some space, or give a file on another disk`);
  return new StoreError(`the data file ${file} cannot be used (${why(error)}). Give a new file name: the server creates the file`);
}
