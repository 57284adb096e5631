/**
 * `npm start`: builds the reference server and the docs site when needed (turbo's cache makes
 * later runs quick), saying so on the first run, then runs `cloud-backup-server` with the
 * arguments given after `npm start --`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const built = ["apps/reference-server/dist/cli.js", "apps/docs/dist/index.html"].every((file) => existsSync(new URL(file, root)));
const quietFlags = new Set(["--help", "-h", "--version", "-v"]);
if (!built) {
  console.error("Building the reference server and the docs site (the first run takes a minute or two; later runs reuse the build)...");
}
const started = Date.now();
const build = spawnSync(
  process.execPath,
  [
    fileURLToPath(new URL("node_modules/turbo/bin/turbo", root)),
    "run",
    "build",
    "--filter=@cloud-backup/reference-server",
    "--filter=@cloud-backup/docs",
    "--output-logs=errors-only",
  ],
  { cwd: fileURLToPath(root), stdio: ["ignore", built ? "ignore" : 2, 2] },
);
if (build.status !== 0) {
  console.error("npm start: the build failed (see above).");
  process.exit(build.status ?? 1);
}
if (!built && !process.argv.slice(2).some((a) => quietFlags.has(a)))
  console.error(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
await import(new URL("apps/reference-server/dist/cli.js", root).href);
