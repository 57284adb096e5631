#!/usr/bin/env node
/**
 * Records the description being released: copies packages/spec/openapi.json to
 * openapi/releases/<info.version>.json, the baseline the breaking-change gate compares the
 * next changes against. Run by `npm run version-packages` after the gate has passed.
 *
 * - Nothing to do when that version is already recorded with the same content.
 * - Fails when that version is recorded with other content (the description changed but
 *   @cloud-backup/spec was not given a new version: add a changeset for it), when the version
 *   records disagree, or when the version is older than the newest release.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { compareVersions } from "./lib/openapi-breaking.mjs";
import { latestRelease, RELEASES_DIR, ROOT, specVersions, versionProblems, WORKING_BUNDLE } from "./lib/releases.mjs";

const die = (message) => {
  console.error(`snapshot-release: ${message}`);
  process.exit(1);
};

const versions = specVersions();
const problems = versionProblems(versions);
if (problems.length) die(problems.join("\n"));
const version = versions.packageVersion;
const target = join(RELEASES_DIR, `${version}.json`);
const shown = relative(ROOT, target);
const latest = latestRelease();
if (latest && compareVersions(version, latest.version) < 0) die(`version ${version} is older than the newest release ${latest.version}`);

if (existsSync(target)) {
  if (readFileSync(target, "utf8") === readFileSync(WORKING_BUNDLE, "utf8")) {
    console.log(`${shown} already records this description`);
    process.exit(0);
  }
  die(
    `${shown} already records another description for ${version}: the description changed without a new version of @cloud-backup/spec. Add a changeset for @cloud-backup/spec (npm run changeset) and version again.`,
  );
}
mkdirSync(RELEASES_DIR, { recursive: true });
copyFileSync(WORKING_BUNDLE, target);
console.log(`recorded ${shown} (the baseline of the breaking-change gate from now on)`);
