#!/usr/bin/env node
/**
 * The breaking-change gate on its own: compares a working OpenAPI description against a
 * released one and exits 1 when a change breaks clients without a major version bump.
 *
 * Usage: node scripts/check-breaking.mjs [--base FILE] [--head FILE] [--json]
 *   --base  the released description (default: the newest openapi/releases/X.Y.Z.json)
 *   --head  the working description (default: packages/spec/openapi.json)
 *   --json  print the comparison as JSON instead of text
 * Exit codes: 0 compatible (or major bump), 1 breaking, 2 usage or input error.
 */
import { relative } from "node:path";
import { compareDescriptions, formatReport } from "./lib/openapi-breaking.mjs";
import { latestRelease, readDescription, ROOT, WORKING_BUNDLE } from "./lib/releases.mjs";

function usage(message) {
  console.error(`check-breaking: ${message}\nUsage: node scripts/check-breaking.mjs [--base FILE] [--head FILE] [--json]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let baseFile;
let headFile = WORKING_BUNDLE;
let json = false;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === "--base" || arg === "--head") {
    const value = args[++i];
    if (!value) usage(`${arg} needs a file`);
    if (arg === "--base") baseFile = value;
    else headFile = value;
  } else if (arg === "--json") json = true;
  else if (arg === "-h" || arg === "--help") {
    console.log("Usage: node scripts/check-breaking.mjs [--base FILE] [--head FILE] [--json]");
    process.exit(0);
  } else usage(`unknown option ${arg}`);
}
if (!baseFile) {
  const latest = latestRelease();
  if (!latest) usage("no released description in openapi/releases/ (and no --base)");
  baseFile = latest.file;
}

const label = (file) => {
  const rel = relative(ROOT, file);
  return rel.startsWith("..") ? file : rel;
};

try {
  const result = compareDescriptions(await readDescription(baseFile), await readDescription(headFile));
  if (json) console.log(JSON.stringify({ base: label(baseFile), head: label(headFile), ...result }, null, 2));
  else console.log(formatReport(result, { base: label(baseFile), head: label(headFile) }));
  process.exit(result.ok ? 0 : 1);
} catch (error) {
  console.error(`check-breaking: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
