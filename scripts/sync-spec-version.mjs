#!/usr/bin/env node
/**
 * After `changeset version`: writes @cloud-backup/spec's new version into openapi/openapi.yaml
 * `info.version` (changing nothing else in the file) and runs `npm run codegen`, which
 * re-bundles packages/spec/openapi.json and records the version in the generated files.
 *
 * Usage: node scripts/sync-spec-version.mjs [--check] [--no-codegen]
 *   --check       change nothing; exit 1 when the version records disagree
 *   --no-codegen  only write openapi/openapi.yaml
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { readInfoVersion, ROOT, SOURCE_YAML, specVersions, versionProblems, writeInfoVersion } from "./lib/releases.mjs";

const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!["--check", "--no-codegen"].includes(arg)) {
    console.error(`sync-spec-version: unknown option ${arg}\nUsage: node scripts/sync-spec-version.mjs [--check] [--no-codegen]`);
    process.exit(2);
  }
}

if (args.has("--check")) {
  const problems = versionProblems(specVersions());
  for (const p of problems) console.error(`✗ ${p}`);
  if (!problems.length) console.log(`✓ spec version records agree (${specVersions().packageVersion})`);
  process.exit(problems.length ? 1 : 0);
}

const version = JSON.parse(readFileSync(new URL("../packages/spec/package.json", import.meta.url), "utf8")).version;
const text = readFileSync(SOURCE_YAML, "utf8");
const before = readInfoVersion(text);
if (before === version) {
  console.log(`openapi/openapi.yaml info.version is already ${version}`);
} else {
  writeFileSync(SOURCE_YAML, writeInfoVersion(text, version));
  console.log(`openapi/openapi.yaml info.version: ${before} → ${version}`);
}

if (!args.has("--no-codegen")) {
  execFileSync("npm", ["run", "codegen"], { cwd: ROOT, stdio: "inherit" });
  const problems = versionProblems(specVersions());
  if (problems.length) {
    for (const p of problems) console.error(`✗ ${p}`);
    process.exit(1);
  }
  console.log(`✓ spec version ${version} recorded in openapi/openapi.yaml and the generated files`);
}
