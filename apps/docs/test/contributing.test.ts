/**
 * CONTRIBUTING.md walks `createBackupConfiguration` through the repository by file name. The
 * walk must stay true when files move: every repository path it names exists, and each step's
 * file still holds what the step says it holds.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
const text = readFileSync(join(root, "CONTRIBUTING.md"), "utf8");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The backticked tokens that look like repository paths (a folder, a name, an extension). */
const paths = [...text.matchAll(/`([^`\s]+)`/g)]
  .map((m) => m[1]!)
  .filter((t) => /^[\w.@-]+(\/[\w.@-]+)+$/.test(t) && /\.(ts|mts|mjs|js|yaml|json|md|sh)$/.test(t));

describe("CONTRIBUTING.md", () => {
  it("names the files of the walk", () => {
    expect(paths.length).toBeGreaterThanOrEqual(20);
  });

  it("names only files that exist", () => {
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it("names files that hold what each step says", () => {
    const holds: Array<[string, string | RegExp]> = [
      ["openapi/paths/v1.0_tenant_id_backup-configuration.yaml", "operationId: createBackupConfiguration"],
      ["openapi/components/schemas/CreateBackupConfigurationRequest.yaml", "title: CreateBackupConfigurationRequest"],
      ["packages/server/src/resources/backup-configurations/handlers.ts", /createBackupConfiguration\(/],
      ["packages/server/src/resources/backup-configurations/model.ts", /export function createConfig\(/],
      ["packages/server/src/resources/backup-configurations/views.ts", /export function configView\(/],
      ["packages/server/src/handler-types.ts", /export type Handlers\b/],
      ["packages/server/test/operations.test.ts", "createBackupConfiguration"],
      ["packages/client/test/operations.test.ts", "createBackupConfiguration"],
      ["packages/conformance/src/checks/backup-configurations.ts", "createBackupConfiguration"],
      ["docs/backup-configurations.md", "## Creating and changing configurations"],
      ["openapi/ERRATA.md", "## E-16."],
    ];
    const wrong = holds.filter(([path, what]) => {
      const body = read(path);
      return typeof what === "string" ? !body.includes(what) : !what.test(body);
    });
    expect(wrong).toEqual([]);
    // Every file checked above is one the walk names.
    expect(holds.map(([path]) => path).filter((p) => !paths.includes(p))).toEqual([]);
  });
});
