/**
 * The facts the description states once (which roles may call each operation, the backup and
 * restore lifecycles) must not be written out again by hand anywhere in the repository: code
 * reads them from this package, and the Markdown holds them only in `<!-- spec:NAME -->`
 * regions that `npm run codegen` rewrites. Tests are left out: they are the independent check.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lifecycles, operations, restoreStateId } from "../src/index.js";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

const adminOnly: string[] = operations.filter((op) => !(op.roles as readonly string[]).includes("cloudBackup:creator")).map((op) => op.operationId);
const terminalBackup: readonly string[] = lifecycles.BackupState.terminal;
const terminalRestoreIds = lifecycles.RestoreState.terminal.map(restoreStateId);
const restoreOrderIds = lifecycles.RestoreState.order.map(restoreStateId);

const operationIds = new Set<string>(operations.map((op) => op.operationId));

/** Where a text writes out one of the facts by hand: one line per finding. */
export function handWrittenFacts(text: string): string[] {
  const found: string[] = [];
  // Outside the regions codegen fills.
  const outside = text.replace(/<!-- spec:([a-z-]+) -->[\s\S]*?<!-- \/spec:\1 -->/g, "");
  // A list of operationIds that are all admin-only: the role matrix again.
  for (const [list] of outside.matchAll(/[[(][^[\]()]*[\])]/g)) {
    const ids = [...list.matchAll(/["'`](\w+)["'`]/g)].map((m) => m[1]!).filter((id) => operationIds.has(id));
    if (ids.length >= 3 && ids.every((id) => adminOnly.includes(id))) found.push(`admin-only operations listed: ${ids.join(", ")}`);
  }
  const separator = String.raw`(\s*,\s*(and\s+|or\s+)?|\s+(and|or)\s+)`;
  const numbers = (ids: number[]) => new RegExp(`(^|[^\\d.])${ids.join(separator)}(?![\\d.])`);
  outside.split("\n").forEach((line, i) => {
    const at = `line ${i + 1}`;
    const names = (list: readonly string[]) => list.filter((name) => new RegExp(`\\b${name}\\b`).test(line));
    if (names(terminalBackup).length >= 4) found.push(`${at}: terminal backup states (${names(terminalBackup).join(", ")})`);
    const mentioned = [...operationIds].filter((id) => new RegExp(`\\b${id}\\b`).test(line));
    if (/admin/i.test(line) && mentioned.length >= 3 && mentioned.every((id) => adminOnly.includes(id))) {
      found.push(`${at}: admin-only operations (${mentioned.join(", ")})`);
    }
    if (numbers(terminalRestoreIds).test(line)) found.push(`${at}: terminal restore state numbers (${terminalRestoreIds.join(", ")})`);
    if (numbers(restoreOrderIds.slice(0, 5)).test(line)) found.push(`${at}: the restore state order (${restoreOrderIds.join(", ")})`);
  });
  return found;
}

/** Every file git tracks that a person writes: code and prose, not generated code, the description or tests. */
function authoredFiles(): string[] {
  const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  return tracked.filter(
    (file) =>
      /\.(ts|mts|mjs|js|md)$/.test(file) &&
      !/(^|\/)(test|tests|__snapshots__|generated|fixtures)\//.test(file) &&
      !/\.test(-d)?\.ts$/.test(file) &&
      !file.startsWith("openapi/") &&
      !file.endsWith("CHANGELOG.md"),
  );
}

describe("facts the description states once", () => {
  it("the finder notices a hand-written copy of each fact", () => {
    expect(handWrittenFacts(`const done = new Set(["Completed", "CompletedWithErrors", "Failed", "Stopped"]);`)).not.toEqual([]);
    expect(handWrittenFacts(`const ADMIN = ["deleteAgent", "migrateVault", "changeAgentLogLevel"];`)).not.toEqual([]);
    expect(handWrittenFacts(`// terminal: 3, 4, 5 or 8`)).not.toEqual([]);
    expect(handWrittenFacts(`goes 0, 6, 1, 9, 2, then done`)).not.toEqual([]);
    expect(handWrittenFacts(`<!-- spec:roles -->\n| deleteAgent, migrateVault, changeAgentLogLevel |\n<!-- /spec:roles -->`)).toEqual([]);
    expect(handWrittenFacts(`Only admins may call deleteAgent, migrateVault and changeAgentLogLevel.`)).not.toEqual([]);
    expect(handWrittenFacts(`Completed after 3 s; 4 agents; 5 files; | 3458 |`)).toEqual([]);
    expect(handWrittenFacts(`const risky = new Set(["deleteAgent", "migrateVault", "changeAgentLogLevel", "enableAgent"]);`)).toEqual([]);
  });

  it("are written out nowhere else in the repository", () => {
    const files = authoredFiles();
    expect(files.length).toBeGreaterThan(50);
    const findings = files.flatMap((file) => handWrittenFacts(readFileSync(join(root, file), "utf8")).map((f) => `${file} ${f}`));
    expect(findings).toEqual([]);
  });
});
