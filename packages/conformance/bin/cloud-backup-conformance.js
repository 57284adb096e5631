#!/usr/bin/env node
// The `cloud-backup-conformance` command: runs the built CLI (dist/cli.js). This file is committed, so npm
// links the command at install time, before anything is built. In a clone of the
// repository where the package is not built yet, it builds it first (once) and says so.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  const root = new URL("../../../", import.meta.url);
  const turbo = new URL("node_modules/turbo/bin/turbo", root);
  if (!existsSync(new URL("turbo.json", root)) || !existsSync(turbo)) {
    console.error("cloud-backup-conformance: dist/cli.js is missing from this copy of @cloud-backup/conformance; reinstall the package.");
    process.exit(1);
  }
  console.error(
    "cloud-backup-conformance: not built yet; building @cloud-backup/conformance and what it needs first (once; about 20 s)...",
  );
  const build = spawnSync(
    process.execPath,
    [fileURLToPath(turbo), "run", "build", "--filter=@cloud-backup/conformance", "--output-logs=errors-only"],
    {
      cwd: fileURLToPath(root),
      stdio: ["ignore", 2, 2],
    },
  );
  if (build.status !== 0 || !existsSync(cli)) {
    console.error("cloud-backup-conformance: the build failed (see above); run `npm run build` at the root of the repository.");
    process.exit(1);
  }
}
await import(cli.href);
