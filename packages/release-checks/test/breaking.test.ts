/**
 * The breaking-change gate (scripts/lib/openapi-breaking.mjs, scripts/check-breaking.mjs,
 * scripts/release-check.mjs): proven on the hand-written fixture pairs in test/fixtures/
 * (base.yaml against one changed document each), on edits of the real description, and
 * run for real on the working description against the newest openapi/releases/ file.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  BREAKING_KINDS,
  type BreakingKind,
  type Change,
  compareDescriptions,
  compareVersions,
  formatReport,
  parseVersion,
} from "../../../scripts/lib/openapi-breaking.mjs";
import { latestRelease, listReleases, ROOT, WORKING_BUNDLE } from "../../../scripts/lib/releases.mjs";

const run = promisify(execFile);
const FIXTURES = resolve(import.meta.dirname, "fixtures");
const load = (name: string): any => parse(readFileSync(join(FIXTURES, name), "utf8"));
const base = load("base.yaml");
const covered = new Set<string>();

/** Compares base.yaml with a fixture and checks the breaking kinds found are exactly `kinds`. */
function expectBreaking(result: ReturnType<typeof compareDescriptions>, kinds: BreakingKind[]) {
  const found = [...new Set(result.breaking.map((c) => c.kind))].sort();
  expect(found, formatReport(result)).toEqual([...new Set(kinds)].sort());
  for (const kind of kinds) covered.add(kind);
  expect(result.ok).toBe(false);
  expect(formatReport(result)).toMatch(/FAILED: \d+ breaking changes? without a major version bump/);
}

const find = (changes: Change[], kind: string) => changes.filter((c) => c.kind === kind);

describe("fixture pairs: one per breaking kind fails", () => {
  const cases: Array<{ file: string; kinds: BreakingKind[]; check: (changes: Change[]) => void }> = [
    {
      file: "operation-removed.yaml",
      kinds: ["operation-removed"],
      check: (c) =>
        expect(c).toMatchObject([{ operation: "deletePet", method: "DELETE", path: "/pets/{petId}", message: "operation removed" }]),
    },
    {
      file: "response-property-removed.yaml",
      kinds: ["response-property-removed"],
      check: (c) => {
        expect(c.map((x) => `${x.operation} ${x.location}`)).toEqual([
          "listPets response 200 (application/json) body[].tag",
          "createPet response 201 (application/json) body.tag",
          "getPet response 200 (application/json) body.tag",
        ]);
        expect(c[0]!.message).toBe("response property removed");
      },
    },
    {
      file: "enum-narrowed.yaml",
      kinds: ["enum-narrowed"],
      check: (c) =>
        expect(c).toMatchObject([
          {
            operation: "createPet",
            location: "request body (application/json) body.kind",
            message: 'enum value "bird" removed (narrowed request enum)',
          },
        ]),
    },
    {
      file: "enum-narrowed-response.yaml",
      kinds: ["enum-narrowed"],
      check: (c) => {
        expect(c).toHaveLength(3);
        expect(c[2]).toMatchObject({
          operation: "getPet",
          location: "response 200 (application/json) body.status",
          message: 'enum value "sold" removed (narrowed response enum)',
        });
      },
    },
    {
      file: "enum-widened-response.yaml",
      kinds: ["enum-widened"],
      check: (c) => {
        expect(c).toHaveLength(3);
        expect(c[0]!.message).toContain('enum value "pending" added (widened response enum');
      },
    },
    {
      file: "request-property-required.yaml",
      kinds: ["request-property-required"],
      check: (c) =>
        expect(c).toMatchObject([
          { operation: "createPet", location: "request body (application/json) body.owner", message: "new required request property" },
        ]),
    },
    {
      file: "type-changed.yaml",
      kinds: ["type-changed"],
      check: (c) => {
        expect(c).toHaveLength(3);
        expect(c[0]).toMatchObject({
          operation: "listPets",
          location: "response 200 (application/json) body[].id",
          message: "type changed from integer to string",
        });
      },
    },
    {
      file: "path-parameter-removed.yaml",
      kinds: ["path-parameter-removed", "operation-moved"],
      check: (c) =>
        expect(c.filter((x) => x.kind === "path-parameter-removed")).toMatchObject([
          { operation: "getPet", location: "path parameter petId", message: "path parameter removed" },
          { operation: "deletePet", location: "path parameter petId", message: "path parameter removed" },
        ]),
    },
    {
      file: "success-status-changed.yaml",
      kinds: ["success-status-changed"],
      check: (c) =>
        expect(c).toMatchObject([{ operation: "createPet", location: "responses", message: "success status changed from 201 to 200" }]),
    },
  ];

  it("has a fixture for every file in fixtures/breaking", () => {
    expect(readdirSync(join(FIXTURES, "breaking")).sort()).toEqual(cases.map((c) => c.file).sort());
  });

  for (const { file, kinds, check } of cases) {
    it(`${file} fails`, () => {
      const head = load(`breaking/${file}`);
      expect(head.info.version).toBe(base.info.version);
      const result = compareDescriptions(base, head);
      expectBreaking(result, kinds);
      check(result.breaking);
    });
  }
});

describe("fixture pairs: compatible changes pass", () => {
  const cases: Array<[string, string[]]> = [
    ["new-response-field.yaml", ["response-property-added"]],
    ["new-operation.yaml", ["operation-added"]],
    ["new-optional-request-field.yaml", ["request-property-added"]],
    ["request-enum-widened.yaml", ["enum-widened", "parameter-added"]],
  ];
  it("has a case for every file in fixtures/compatible", () => {
    expect(readdirSync(join(FIXTURES, "compatible")).sort()).toEqual(cases.map((c) => c[0]).sort());
  });
  for (const [file, kinds] of cases) {
    it(`${file} passes and lists the change`, () => {
      const result = compareDescriptions(base, load(`compatible/${file}`));
      expect(result.breaking, formatReport(result)).toEqual([]);
      expect(result.ok).toBe(true);
      expect([...new Set(result.compatible.map((c) => c.kind))].sort()).toEqual([...kinds].sort());
      expect(formatReport(result)).toContain("OK: no breaking changes.");
    });
  }
  it("a nullable enum rewritten as a oneOf of the enum and null is no change, and adding null to a response enum still breaks", () => {
    const description = (startTimeAmPm: unknown) => ({
      openapi: "3.1.0",
      info: { title: "t", version: "1.0.0" },
      paths: {
        "/c": {
          get: {
            operationId: "getC",
            responses: {
              "200": {
                description: "c",
                content: { "application/json": { schema: { type: "object", properties: { StartTimeAmPm: startTimeAmPm } } } },
              },
            },
          },
        },
      },
    });
    const typeList = description({ type: ["string", "null"], enum: ["AM", "PM", "", null] });
    const oneOf = description({ oneOf: [{ type: "string", enum: ["AM", "PM", ""] }, { type: "null" }] });
    expect(compareDescriptions(typeList, oneOf).changes).toEqual([]);
    expect(compareDescriptions(oneOf, typeList).changes).toEqual([]);
    const notNullable = description({ type: "string", enum: ["AM", "PM", ""] });
    expect(compareDescriptions(notNullable, oneOf).breaking.length).toBeGreaterThan(0);
  });

  it("the base against itself has no change", () => {
    const result = compareDescriptions(base, structuredClone(base));
    expect(result.changes).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe("major version bump", () => {
  it("breaking changes pass when the major part is raised (1.0.0 → 2.0.0)", () => {
    const result = compareDescriptions(base, load("major/breaking-with-major-bump.yaml"));
    expect(result.breaking.length).toBeGreaterThanOrEqual(3);
    expect(result.majorRaised).toBe(true);
    expect(result.ok).toBe(true);
    expect(formatReport(result)).toContain("OK: breaking changes allowed, the major version was raised (1.0.0 → 2.0.0).");
  });
  it("the same changes fail with a minor bump (1.0.0 → 1.1.0)", () => {
    const result = compareDescriptions(base, load("major/breaking-with-minor-bump.yaml"));
    expect(result.majorRaised).toBe(false);
    expect(result.ok).toBe(false);
    expect(formatReport(result)).toContain("(info.version 1.0.0 → 2.0.0;");
  });
  it("0.x is no exception: 0.1.0 → 0.2.0 is not a major bump", () => {
    const head = load("breaking/operation-removed.yaml");
    const result = compareDescriptions(
      { ...base, info: { ...base.info, version: "0.1.0" } },
      { ...head, info: { ...head.info, version: "0.2.0" } },
    );
    expect(result.ok).toBe(false);
    const bumped = compareDescriptions(
      { ...base, info: { ...base.info, version: "0.1.0" } },
      { ...head, info: { ...head.info, version: "1.0.0" } },
    );
    expect(bumped.ok).toBe(true);
  });
  it("rejects a description whose info.version is not semver", () => {
    expect(() => compareDescriptions(base, { ...base, info: { version: "latest" } })).toThrow(/not semver/);
  });
});

describe("the other breaking kinds (edits of the base in code)", () => {
  // Each case: a name, the kinds expected, the (base, head) pair, and a message expected.
  const variantBase = structuredClone(base);
  variantBase.components.schemas.NewPet.properties.tag = { oneOf: [{ type: "string" }, { type: "integer" }] };
  variantBase.components.schemas.Pet.properties.tag = { oneOf: [{ type: "string" }, { type: "null" }] };
  const edited = (fn: (doc: any) => void, from: any = base): [any, any] => {
    const doc = structuredClone(from);
    fn(doc);
    return [from, doc];
  };
  const cases: Array<[string, BreakingKind[], [any, any], string]> = [
    [
      "an operationId renamed",
      ["operation-id-changed"],
      edited((d) => (d.paths["/pets"].get.operationId = "findPets")),
      "operationId changed from listPets to findPets",
    ],
    [
      "an operation moved to another method",
      ["operation-moved"],
      edited((d) => {
        d.paths["/pets/{petId}"].post = d.paths["/pets/{petId}"].delete;
        delete d.paths["/pets/{petId}"].delete;
      }),
      "moved from DELETE /pets/{petId} to POST /pets/{petId}",
    ],
    ["a query parameter removed", ["parameter-removed"], edited((d) => (d.paths["/pets"].get.parameters = [])), "query parameter removed"],
    [
      "an optional parameter made required",
      ["parameter-required"],
      edited((d) => (d.paths["/pets"].get.parameters[0].required = true)),
      "query parameter became required",
    ],
    [
      "a new required header",
      ["parameter-required"],
      edited((d) => d.paths["/pets"].get.parameters.push({ name: "X-Tenant", in: "header", required: true, schema: { type: "string" } })),
      "new required header parameter",
    ],
    [
      "an optional request body made required",
      ["request-body-required"],
      [edited((d) => (d.paths["/pets"].post.requestBody.required = false))[1], base],
      "request body became required",
    ],
    ["a request body removed", ["request-body-removed"], edited((d) => delete d.paths["/pets"].post.requestBody), "request body removed"],
    [
      "a request media type removed",
      ["request-media-type-removed"],
      edited((d) => {
        const content = d.paths["/pets"].post.requestBody.content;
        content["application/merge-patch+json"] = content["application/json"];
        delete content["application/json"];
      }),
      "request media type application/json no longer accepted",
    ],
    [
      "a request property removed",
      ["request-property-removed"],
      edited((d) => delete d.components.schemas.NewPet.properties.tag),
      "request property removed",
    ],
    [
      "an optional request property made required",
      ["request-property-required"],
      edited((d) => d.components.schemas.NewPet.required.push("tag")),
      "request property became required",
    ],
    [
      "a response property no longer required",
      ["response-property-optional"],
      edited((d) => (d.components.schemas.Pet.required = ["id", "name", "kind"])),
      "response property no longer required",
    ],
    [
      "a response body removed",
      ["response-body-removed"],
      edited((d) => delete d.paths["/pets/{petId}"].get.responses["200"].content),
      "response body removed",
    ],
    [
      "a response media type removed",
      ["response-media-type-removed"],
      edited((d) => {
        const content = d.paths["/pets/{petId}"].get.responses["200"].content;
        content["application/xml"] = content["application/json"];
        delete content["application/json"];
      }),
      "response media type application/json no longer sent",
    ],
    [
      "a query parameter's type changed",
      ["type-changed"],
      edited((d) => (d.paths["/pets"].get.parameters[0].schema = { type: "boolean" })),
      "type changed from integer to boolean",
    ],
    [
      "a response value made nullable",
      ["type-changed"],
      edited((d) => (d.components.schemas.Pet.properties.name = { type: ["string", "null"] })),
      "type changed from string to null | string",
    ],
    [
      "a request oneOf alternative removed",
      ["variant-removed"],
      edited((d) => (d.components.schemas.NewPet.properties.tag = { oneOf: [{ type: "string" }] }), variantBase),
      "oneOf alternative #2 removed",
    ],
    [
      "a response oneOf alternative added",
      ["variant-added"],
      edited(
        (d) => (d.components.schemas.Pet.properties.tag = { oneOf: [{ type: "string" }, { type: "null" }, { type: "integer" }] }),
        variantBase,
      ),
      "oneOf alternative #3 added",
    ],
  ];

  for (const [name, kinds, [before, after], message] of cases) {
    it(`${name} fails`, () => {
      const result = compareDescriptions(before, after);
      expectBreaking(result, kinds);
      expect(result.breaking.map((c) => c.message).join("\n")).toContain(message);
    });
  }

  it("compatible counterparts pass: a widened request type, a narrowed response type, a request oneOf alternative added", () => {
    const [before, after] = edited((d) => {
      d.paths["/pets"].get.parameters[0].schema = { type: ["integer", "string"] };
      d.components.schemas.Pet.properties.tag = { type: "string" };
      d.components.schemas.NewPet.properties.tag = { oneOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }] };
    }, variantBase);
    const result = compareDescriptions(before, after);
    expect(result.breaking, formatReport(result)).toEqual([]);
  });

  it("a compatible change to a $ref'd schema is found through allOf and $ref siblings", () => {
    const doc = structuredClone(base);
    doc.components.schemas.Pet = { allOf: [{ $ref: "#/components/schemas/PetFields" }], description: "A pet." };
    doc.components.schemas.PetFields = structuredClone(base.components.schemas.Pet);
    expect(compareDescriptions(base, doc).changes).toEqual([]);
    delete doc.components.schemas.PetFields.properties.name;
    expect(compareDescriptions(base, doc).breaking.map((c) => c.location)).toContain("response 200 (application/json) body.name");
  });

  it("recursive schemas terminate", () => {
    const doc = structuredClone(base);
    doc.components.schemas.Pet.properties.parent = { $ref: "#/components/schemas/Pet" };
    const head = structuredClone(doc);
    head.components.schemas.Pet.properties.parent = { $ref: "#/components/schemas/Pet" };
    delete head.components.schemas.Pet.properties.tag;
    const result = compareDescriptions(doc, head);
    expect(result.ok).toBe(false);
    expect(find(result.breaking, "response-property-removed").length).toBeGreaterThan(0);
  });

  it("covers every breaking kind the gate knows", () => {
    expect([...covered].sort()).toEqual([...BREAKING_KINDS].sort());
  });
});

describe("versions", () => {
  it("parses and orders semver", () => {
    expect(parseVersion("1.2.3-rc.1")).toEqual({ major: 1, minor: 2, patch: 3, pre: "rc.1" });
    expect(parseVersion("1.2")).toBeNull();
    expect(["1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.9"].sort(compareVersions)).toEqual(["0.9.9", "1.2.0-rc.1", "1.2.0", "1.10.0"]);
  });
  it("openapi/releases/ holds semver-named released descriptions, 0.1.0 first", () => {
    const releases = listReleases();
    expect(releases.length).toBeGreaterThan(0);
    expect(releases[0]!.version).toBe("0.1.0");
    for (const r of releases) expect(JSON.parse(readFileSync(r.file, "utf8")).info.version).toBe(r.version);
  });
});

describe("the gate on the real description", () => {
  const release = latestRelease()!;
  const released = JSON.parse(readFileSync(release.file, "utf8"));
  const working = JSON.parse(readFileSync(WORKING_BUNDLE, "utf8"));

  it(`packages/spec/openapi.json has no breaking change since ${release.version} (or raises the major version)`, () => {
    const result = compareDescriptions(released, working);
    // On failure the message is the gate's report: every breaking change, where and what.
    expect(result.ok, formatReport(result, { base: `openapi/releases/${release.version}.json`, head: "packages/spec/openapi.json" })).toBe(
      true,
    );
  });

  it("fails on a removed response field and a narrowed enum in a copy of it", () => {
    const head = structuredClone(released);
    delete head.components.schemas.Agent.properties.HostServerId;
    head.components.schemas.AgentStatus.enum = head.components.schemas.AgentStatus.enum.filter((v: string) => v !== "Unknown");
    const result = compareDescriptions(released, head);
    expect(result.ok).toBe(false);
    const lines = result.breaking.map((c) => `${c.operation} ${c.location}: ${c.message}`);
    expect(lines).toContain("getAgent response 200 (application/json) body.HostServerId: response property removed");
    expect(lines).toContain(
      'listAgents response 200 (application/json) body[].Status: enum value "Unknown" removed (narrowed response enum)',
    );
  });

  it("fails on a narrowed request enum (ManualAction) and passes it with a major bump", () => {
    const head = structuredClone(released);
    const manual = head.components.schemas.ManualAction;
    expect(manual.enum).toContain("StopManual");
    manual.enum = manual.enum.filter((v: string) => v !== "StopManual");
    const result = compareDescriptions(released, head);
    expect(result.breaking.map((c) => `${c.operation}: ${c.message}`)).toContain(
      'requestBackupAction: enum value "StopManual" removed (narrowed request enum)',
    );
    head.info.version = `${parseVersion(released.info.version)!.major + 1}.0.0`;
    expect(compareDescriptions(released, head).ok).toBe(true);
  });

  it("passes a new optional response field and a new operation", () => {
    const head = structuredClone(released);
    head.components.schemas.Agent.properties.Nickname = { type: "string" };
    head.paths["/v1.0/{tenant_id}/agent/{machineAgentId}/labels"] = {
      get: {
        operationId: "listAgentLabels",
        responses: {
          "200": { description: "Labels.", content: { "application/json": { schema: { type: "array", items: { type: "string" } } } } },
        },
      },
    };
    const result = compareDescriptions(released, head);
    expect(result.breaking).toEqual([]);
    expect(result.compatible.map((c) => c.kind)).toEqual(expect.arrayContaining(["response-property-added", "operation-added"]));
  });
});

describe("the command line", () => {
  const scratch = mkdtempSync(join(tmpdir(), "cb-gate-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const node = (script: string, args: string[]) =>
    run(process.execPath, [join(ROOT, "scripts", script), ...args], { cwd: ROOT }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  it("check-breaking exits 1 and names each change on a breaking pair", async () => {
    const r = await node("check-breaking.mjs", [
      "--base",
      join(FIXTURES, "base.yaml"),
      "--head",
      join(FIXTURES, "major/breaking-with-minor-bump.yaml"),
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '✗ [enum-narrowed] createPet (POST /pets), request body (application/json) body.kind: enum value "bird" removed (narrowed request enum)',
    );
    expect(r.out).toContain("FAILED: 4 breaking changes without a major version bump.");
  });

  it("check-breaking exits 0 on a compatible pair and on a major bump", async () => {
    const ok = await node("check-breaking.mjs", [
      "--base",
      join(FIXTURES, "base.yaml"),
      "--head",
      join(FIXTURES, "compatible/new-operation.yaml"),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("✓ [operation-added] updatePet (PUT /pets/{petId}), operation: new operation (compatible)");
    const major = await node("check-breaking.mjs", [
      "--base",
      join(FIXTURES, "base.yaml"),
      "--head",
      join(FIXTURES, "major/breaking-with-major-bump.yaml"),
    ]);
    expect(major.code).toBe(0);
  });

  it("check-breaking --json and input errors (exit 2)", async () => {
    const r = await node("check-breaking.mjs", [
      "--base",
      join(FIXTURES, "base.yaml"),
      "--head",
      join(FIXTURES, "breaking/operation-removed.yaml"),
      "--json",
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, breaking: [{ kind: "operation-removed", operation: "deletePet" }] });
    expect((await node("check-breaking.mjs", ["--bogus"])).code).toBe(2);
    expect((await node("check-breaking.mjs", ["--base", join(scratch, "missing.json")])).code).toBe(2);
  });

  it("release-check fails on a breaking copy of the working description, and passes on it as is", async () => {
    const head = JSON.parse(readFileSync(WORKING_BUNDLE, "utf8"));
    delete head.components.schemas.Agent.properties.HostServerId;
    const file = join(scratch, "openapi.json");
    writeFileSync(file, JSON.stringify(head));
    const bad = await node("release-check.mjs", ["--head", file]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(
      "[response-property-removed] getAgent (GET /v1.0/{tenant_id}/agent/{machineAgentId}), response 200 (application/json) body.HostServerId: response property removed",
    );
    expect(bad.out).toContain("release:check FAILED");
    const good = await node("release-check.mjs", []);
    expect(good.out).toContain("release:check passed");
    expect(good.code).toBe(0);
  });
});
