/**
 * The facts the description states once (which roles may call each operation, the backup and
 * restore lifecycles, the request limits and per-account caps of `info.x-limits`) must not be written out again by hand anywhere in the repository: code
 * reads them from this package, and the Markdown holds them only in `<!-- spec:NAME -->`
 * regions that `npm run codegen` rewrites. Tests are left out: they are the independent check.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { limits, lifecycles, operations, restoreStateId } from "../src/index.js";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

const adminOnly: string[] = operations
  .filter((op) => !(op.roles as readonly string[]).includes("cloudBackup:creator"))
  .map((op) => op.operationId);
const terminalBackup: readonly string[] = lifecycles.BackupState.terminal;
const terminalRestoreIds = lifecycles.RestoreState.terminal.map(restoreStateId);
const restoreOrderIds = lifecycles.RestoreState.order.map(restoreStateId);

const operationIds = new Set<string>(operations.map((op) => op.operationId));

/** A number as code or prose may write it: 1048576, 1_048_576, 1,048,576. */
const written = (n: number) => {
  const digits = String(n);
  const groups = digits.replace(/\B(?=(\d{3})+(?!\d))/g, "\u0000").split("\u0000");
  return `(?:${[digits, groups.join("_"), groups.join(",")].join("|")})`;
};
const mb = limits.maxBodyBytes / (1024 * 1024);
/** Hand-written statements of a limit: the byte count itself, a constant set to a literal, or the prose of the Limits paragraph. */
const limitStatements: Array<[string, RegExp]> = [
  ["the body limit in bytes", new RegExp(`(^|[^\\d.,_])${written(limits.maxBodyBytes)}(?![\\d_])`)],
  ...(
    [
      ["MAX_BODY_BYTES", limits.maxBodyBytes],
      ["MAX_DEPTH", limits.maxDepth],
      ["MAX_CONFIGURATIONS_PER_TENANT", limits.maxConfigurationsPerTenant],
      ["MAX_BACKUPS_PER_TENANT", limits.maxBackupsPerTenant],
      ["MAX_ACTIVITY_ITEMS", limits.maxActivityItems],
    ] as const
  ).map(([name, n]): [string, RegExp] => [`${name} set to a literal`, new RegExp(`\\b${name}\\b[^=\\n]*=\\s*${written(n)}(?![\\d_])`)]),
  ["the body limit", new RegExp(`\\bbod(y|ies)\\b[^.\\n]{0,30}\\b${mb} ?MB\\b|\\bpast ${mb} ?MB\\b`, "i")],
  ["the nesting limit", new RegExp(`\\b${limits.maxDepth} levels\\b`, "i")],
  [
    "the configuration cap",
    new RegExp(
      `\\b(cap of|at most|up to|limit of)\\s+${written(limits.maxConfigurationsPerTenant)}\\b|\\b${written(limits.maxConfigurationsPerTenant)} backup configurations\\b`,
      "i",
    ),
  ],
  ["the backup history cap", new RegExp(`\\bnewest ${written(limits.maxBackupsPerTenant)} backups\\b`, "i")],
  ["the activity cap", new RegExp(`\\bnewest ${written(limits.maxActivityItems)} items\\b`, "i")],
];

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
    for (const [what, pattern] of limitStatements) if (pattern.test(line)) found.push(`${at}: ${what} (info.x-limits)`);
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
    expect(handWrittenFacts(`const MAX_DEPTH = 64;`)).toEqual([]);
    expect(handWrittenFacts(`export const MAX_BODY_BYTES = 1_048_576;`)).not.toEqual([]);
    expect(handWrittenFacts(`const limit = 1048576;`)).not.toEqual([]);
    expect(handWrittenFacts(`export const MAX_DEPTH = 32;`)).not.toEqual([]);
    expect(handWrittenFacts(`export const MAX_ACTIVITY_ITEMS: number = 1_000;`)).not.toEqual([]);
    expect(handWrittenFacts(`Bodies over 1 MB are refused with a 400.`)).not.toEqual([]);
    expect(handWrittenFacts(`JSON nested deeper than 32 levels gets a 400.`)).not.toEqual([]);
    expect(handWrittenFacts(`An account holds at most 10,000 backup configurations.`)).not.toEqual([]);
    expect(handWrittenFacts(`one tenant passes the per-tenant cap of 10,000`)).not.toEqual([]);
    expect(handWrittenFacts(`the history of the newest 100,000 backups`)).not.toEqual([]);
    expect(handWrittenFacts(`activity lists of the newest 1,000 items`)).not.toEqual([]);
    expect(
      handWrittenFacts(`<!-- spec:limits -->\nBodies over 1 MB are refused; at most 10,000 backup configurations.\n<!-- /spec:limits -->`),
    ).toEqual([]);
    expect(handWrittenFacts(`export const MAX_BODY_BYTES: number = limits.maxBodyBytes;`)).toEqual([]);
    expect(handWrittenFacts(`| List 10,000 configurations (15 MB) | 160 | heap growth under 1 MB |`)).toEqual([]);
  });

  it("are written out nowhere else in the repository", () => {
    const files = authoredFiles();
    expect(files.length).toBeGreaterThan(50);
    const findings = files.flatMap((file) => handWrittenFacts(readFileSync(join(root, file), "utf8")).map((f) => `${file} ${f}`));
    expect(findings).toEqual([]);
  });
});
