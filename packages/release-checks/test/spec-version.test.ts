/**
 * The spec's info.version follows @cloud-backup/spec's version: the package version,
 * openapi/openapi.yaml and the bundle must agree, and scripts/sync-spec-version.mjs keeps
 * them so after `changeset version`.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseVersion } from "../../../scripts/lib/openapi-breaking.mjs";
import { readInfoVersion, ROOT, specVersions, versionProblems, writeInfoVersion } from "../../../scripts/lib/releases.mjs";

const run = promisify(execFile);
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

describe("spec version", () => {
  it("openapi/openapi.yaml info.version equals @cloud-backup/spec's version, and is semver", () => {
    const pkg = JSON.parse(read("packages/spec/package.json"));
    const yamlVersion = parse(read("openapi/openapi.yaml")).info.version;
    expect(parseVersion(pkg.version)).not.toBeNull();
    expect(String(yamlVersion)).toBe(pkg.version);
  });

  it("the bundle (packages/spec/openapi.json, openapi.yaml) records the same version", () => {
    const pkg = JSON.parse(read("packages/spec/package.json"));
    expect(JSON.parse(read("packages/spec/openapi.json")).info.version).toBe(pkg.version);
    expect(parse(read("packages/spec/openapi.yaml")).info.version).toBe(pkg.version);
    expect(read("packages/spec/src/generated/operations.ts")).toContain(`export const specVersion = ${JSON.stringify(pkg.version)};`);
  });

  it("versionProblems agrees, and names a mismatch", () => {
    expect(versionProblems(specVersions())).toEqual([]);
    expect(versionProblems({ packageVersion: "0.2.0", yamlVersion: "0.1.0", bundleVersion: "0.1.0" })).toEqual([
      "openapi/openapi.yaml info.version is 0.1.0 but @cloud-backup/spec is 0.2.0 (run `node scripts/sync-spec-version.mjs`)",
    ]);
    expect(versionProblems({ packageVersion: "0.2.0", yamlVersion: "0.2.0", bundleVersion: "0.1.0" })[0]).toContain(
      "run `npm run codegen`",
    );
  });

  it("sync-spec-version --check passes on the repository", async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, "scripts/sync-spec-version.mjs"), "--check"], { cwd: ROOT });
    expect(stdout).toContain("spec version records agree");
  });
});

describe("writing info.version into openapi.yaml", () => {
  const source = read("openapi/openapi.yaml");

  it("changes only the version line of the real file", () => {
    const written = writeInfoVersion(source, "1.0.0");
    expect(parse(written).info.version).toBe("1.0.0");
    const before = source.split("\n");
    const after = written.split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.map((line, i) => (line === before[i] ? null : i)).filter((i) => i !== null);
    expect(changed).toHaveLength(1);
    expect(after[changed[0]!]).toBe("  version: 1.0.0");
    expect(parse(written)).toEqual({ ...parse(source), info: { ...parse(source).info, version: "1.0.0" } });
  });

  it("keeps quotes, comments and CRLF line ends; ignores nested and block-scalar version keys", () => {
    const text =
      'openapi: 3.1.0\r\ninfo:\r\n  title: T\r\n  description: |\r\n    version: 9.9.9\r\n  contact:\r\n    version: 8\r\n  version: "0.1.0" # the API\r\npaths: {}\r\n';
    expect(readInfoVersion(text)).toBe("0.1.0");
    const written = writeInfoVersion(text, "0.2.0");
    expect(written).toBe(text.replace('"0.1.0"', '"0.2.0"'));
    expect(parse(written).info).toMatchObject({ version: "0.2.0", description: "version: 9.9.9\n", contact: { version: 8 } });
  });

  it("refuses a non-semver version and a document without info.version", () => {
    expect(() => writeInfoVersion(source, "next")).toThrow(/semver/);
    expect(() => writeInfoVersion("openapi: 3.1.0\ninfo:\n  title: T\n", "1.0.0")).toThrow(/no info.version/);
    expect(readInfoVersion("openapi: 3.1.0\npaths: {}\n")).toBeNull();
  });
});
