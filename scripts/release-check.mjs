#!/usr/bin/env node
/**
 * `npm run release:check`: what must hold before a release.
 *
 * 1. The spec's version records agree: @cloud-backup/spec's package version, openapi/openapi.yaml
 *    `info.version` and the bundle's (packages/spec/openapi.json) `info.version`.
 * 2. The working version is not older than the newest released description.
 * 3. The breaking-change gate: packages/spec/openapi.json against the newest
 *    openapi/releases/X.Y.Z.json; a change that breaks clients fails unless the major part
 *    of info.version was raised (see scripts/lib/openapi-breaking.mjs for the rules).
 *
 * Exit code 1 when one fails. Options: --base FILE, --head FILE (for trying the gate on other files).
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { compareDescriptions, compareVersions, formatReport } from "./lib/openapi-breaking.mjs";
import { latestRelease, readDescription, ROOT, specVersions, versionProblems, WORKING_BUNDLE } from "./lib/releases.mjs";

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const label = (file) => {
  const rel = relative(ROOT, file);
  return rel.startsWith("..") ? file : rel;
};

let failed = false;
const fail = (message) => {
  failed = true;
  console.log(`✗ ${message}`);
};

// 1. Version records
const versions = specVersions();
const problems = versionProblems(versions);
if (problems.length) for (const p of problems) fail(p);
else
  console.log(`✓ spec version ${versions.packageVersion}: @cloud-backup/spec, openapi/openapi.yaml and packages/spec/openapi.json agree`);

// 2 and 3. Against the newest release
const headFile = option("--head") ?? WORKING_BUNDLE;
const baseFile = option("--base") ?? latestRelease()?.file;
if (!baseFile) {
  fail("no released description in openapi/releases/: record the first one with `node scripts/snapshot-release.mjs`");
} else {
  try {
    const base = await readDescription(baseFile);
    const head = await readDescription(headFile);
    const result = compareDescriptions(base, head);
    if (compareVersions(result.headVersion, result.baseVersion) < 0) {
      fail(`${label(headFile)} info.version ${result.headVersion} is older than the released ${result.baseVersion}`);
    }
    console.log("");
    console.log(formatReport(result, { base: label(baseFile), head: label(headFile) }));
    if (!result.ok) failed = true;
    if (result.headVersion === result.baseVersion && readFileSync(headFile, "utf8") !== readFileSync(baseFile, "utf8")) {
      console.log(
        `\nNote: the description changed since ${result.baseVersion} was released; a changeset for @cloud-backup/spec will give it a new version (\`npm run changeset\`).`,
      );
    }
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
}

console.log(failed ? "\nrelease:check FAILED" : "\nrelease:check passed");
process.exit(failed ? 1 : 0);
