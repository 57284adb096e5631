/**
 * Shared helpers of the release scripts: where things are, the released descriptions in
 * openapi/releases/, and the spec's three version records (the @cloud-backup/spec package
 * version, openapi/openapi.yaml `info.version`, and the bundle's `info.version`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compareVersions, parseVersion } from "./openapi-breaking.mjs";

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const RELEASES_DIR = join(ROOT, "openapi", "releases");
export const SOURCE_YAML = join(ROOT, "openapi", "openapi.yaml");
export const SPEC_PACKAGE_DIR = join(ROOT, "packages", "spec");
export const WORKING_BUNDLE = join(SPEC_PACKAGE_DIR, "openapi.json");

/** Released descriptions (`X.Y.Z.json`) in a folder, oldest first. */
export function listReleases(dir = RELEASES_DIR) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json") && parseVersion(name.slice(0, -5)))
    .map((name) => ({ version: name.slice(0, -5), file: join(dir, name) }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

/** The newest released description, or null when there is none. */
export function latestRelease(dir = RELEASES_DIR) {
  const all = listReleases(dir);
  return all.length ? all[all.length - 1] : null;
}

/** Reads a JSON description, or a YAML one (through the `yaml` package, installed in the workspace). */
export async function readDescription(file) {
  const text = readFileSync(file, "utf8");
  if (/\.ya?ml$/i.test(file)) {
    const { parse } = await import("yaml");
    return parse(text);
  }
  return JSON.parse(text);
}

/** Finds the `version:` line directly under the top-level `info:` mapping (block scalars and nested keys are skipped). */
function findInfoVersion(lines) {
  const infoAt = lines.findIndex((l) => /^info:[ \t]*(#.*)?$/.test(l));
  if (infoAt < 0) return null;
  let childIndent = -1;
  for (let i = infoAt + 1; i < lines.length; i++) {
    const line = lines[i];
    if (/^[ \t]*(#.*)?$/.test(line)) continue;
    const indent = /^[ ]*/.exec(line)[0].length;
    if (indent === 0) return null;
    if (childIndent < 0) childIndent = indent;
    if (indent !== childIndent) continue;
    const m = /^([ ]*version:[ \t]*)(["']?)([^"'#]*?)\2([ \t]*(?:#.*)?)$/.exec(line);
    if (m) return { index: i, head: m[1], quote: m[2], value: m[3].trim(), tail: m[4] };
  }
  return null;
}

/** `info.version` as written in a YAML document (top-level `info:` block), or null. */
export function readInfoVersion(yamlText) {
  return findInfoVersion(yamlText.split(/\n/).map((l) => l.replace(/\r$/, "")))?.value ?? null;
}

/** The YAML text with `info.version` set, every other byte kept (comments, order, quoting, line ends). */
export function writeInfoVersion(yamlText, version) {
  if (!parseVersion(version)) throw new Error(`not a semver version: ${version}`);
  const lines = yamlText.split("\n");
  const found = findInfoVersion(lines.map((l) => l.replace(/\r$/, "")));
  if (!found) throw new Error("no info.version found under the top-level info: of the YAML document");
  const cr = lines[found.index].endsWith("\r") ? "\r" : "";
  lines[found.index] = `${found.head}${found.quote}${version}${found.quote}${found.tail}${cr}`;
  return lines.join("\n");
}

/** The three records of the spec's version. */
export function specVersions(root = ROOT) {
  const pkg = JSON.parse(readFileSync(join(root, "packages", "spec", "package.json"), "utf8"));
  const yamlVersion = readInfoVersion(readFileSync(join(root, "openapi", "openapi.yaml"), "utf8"));
  const bundle = join(root, "packages", "spec", "openapi.json");
  const bundleVersion = existsSync(bundle) ? (JSON.parse(readFileSync(bundle, "utf8")).info?.version ?? null) : null;
  return { packageVersion: pkg.version, yamlVersion, bundleVersion };
}

/** Problems with the spec's version records (empty when they agree). */
export function versionProblems(versions) {
  const problems = [];
  if (!parseVersion(versions.packageVersion)) problems.push(`@cloud-backup/spec's version is not semver: ${versions.packageVersion}`);
  if (versions.yamlVersion !== versions.packageVersion) {
    problems.push(
      `openapi/openapi.yaml info.version is ${versions.yamlVersion ?? "missing"} but @cloud-backup/spec is ${versions.packageVersion} (run \`node scripts/sync-spec-version.mjs\`)`,
    );
  }
  if (versions.bundleVersion !== versions.yamlVersion) {
    problems.push(
      `packages/spec/openapi.json info.version is ${versions.bundleVersion ?? "missing"} but openapi/openapi.yaml says ${versions.yamlVersion} (run \`npm run codegen\`)`,
    );
  }
  return problems;
}
