/** The kit's parts on their own: the response checker, the generators, the reports, the arguments, the crypto. */
import { generateKeyPairSync } from "node:crypto";
import { decryptPassphrase } from "@cloud-backup/server";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { mutate, SchemaArbitraries } from "../src/arbitraries.js";
import { parseArgs } from "../src/args.js";
import { CAPABILITIES, closeObjectSchemas, encryptPassphrase, OPTIONAL_CAPABILITIES, type Report, Spec, toJUnit } from "../src/index.js";
import { formatTable } from "../src/report.js";

const spec = new Spec();

const agent = {
  AgentVersion: "1.36.008520",
  Architecture: "64-bit",
  Flavor: "RaxCloudServer",
  BackupVaultSize: null,
  CleanupAllowed: true,
  Datacenter: "DFW",
  IPAddress: "10.0.0.1",
  IsDisabled: false,
  IsEncrypted: false,
  MachineAgentId: 213564,
  MachineName: "web",
  OperatingSystem: "Ubuntu",
  OperatingSystemVersion: "22.04",
  PublicKey: { ModulusHex: "ABCDEF", ExponentHex: 10001 },
  Status: "Online",
  TimeOfLastSuccessfulBackup: null,
  UseServiceNet: true,
};

const check = (status: number, body: unknown, contentType = "application/json", url = "/v1.0/1234/agent/213564", method = "GET") =>
  spec.checkResponse({ method, url, status, contentType, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("the response checker", () => {
  test("accepts a conforming answer", () => {
    expect(check(200, agent)).toEqual([]);
  });

  test("treats an undeclared property as an error", () => {
    expect(check(200, { ...agent, Surprise: 1 }).join()).toMatch(/undeclared property "Surprise"/);
  });

  test("reports a wrong type and a missing required field", () => {
    expect(check(200, { ...agent, MachineAgentId: "213564" }).join()).toMatch(/MachineAgentId must be integer/);
    const { Status: _drop, ...missing } = agent;
    expect(check(200, missing).join()).toMatch(/missing required property "Status"/);
  });

  test("reports an undocumented status and a wrong content type", () => {
    expect(check(418, { title: "teapot" }).join()).toMatch(/answered 418, which it does not document/);
    expect(check(200, agent, "text/html").join()).toMatch(/content type text\/html/);
  });

  test("checks problem bodies, including their status", () => {
    const problem = { type: "about:blank", title: "Not Found", status: 404 };
    expect(check(404, problem, "application/problem+json")).toEqual([]);
    expect(check(404, { ...problem, status: 400 }, "application/problem+json").join()).toMatch(/problem body says status 400/);
  });

  test("wants no body where none is documented, and accepts text/plain receipts", () => {
    expect(check(204, "", "", "/v1.0/1234/agent/enable", "POST")).toEqual([]);
    expect(check(204, "oops", "text/plain", "/v1.0/1234/agent/enable", "POST").join()).toMatch(/documents no body/);
    expect(check(200, "0cee72c7-015c-493b-b5fe-a896ae444c34", "text/plain", "/v1.0/1234/agent/encrypt", "POST")).toEqual([]);
  });

  test("matches literal path segments before parameters", () => {
    expect(spec.match("POST", "/v1.0/1234/agent/enable")?.operationId).toBe("enableAgent");
    expect(spec.match("POST", "/v1.0/1234/agent/5")?.operationId).toBe("updateAgentBackupBehavior");
    expect(spec.match("GET", "/nowhere")).toBeUndefined();
  });

  test("closes object schemas without touching examples", () => {
    const closed = closeObjectSchemas({
      components: { schemas: { A: { type: "object", properties: { a: {} }, example: { properties: {} } } } },
    }) as any;
    expect(closed.components.schemas.A.unevaluatedProperties).toBe(false);
    expect(closed.components.schemas.A.example.unevaluatedProperties).toBeUndefined();
  });
});

describe("the request generators", () => {
  const gen = new SchemaArbitraries({
    spec,
    tenant: "1234",
    pools: { agent: [213564], configuration: [180000], backup: [400000], restore: [20000], restoreFile: [], hostServer: [] },
    usePools: () => true,
    farIds: false,
  });

  test.each(spec.operations.filter((op) => op.requestSchema).map((op) => [op.operationId, op] as const))(
    "valid %s bodies validate",
    (_id, op) => {
      for (const request of fc.sample(gen.request(op), { seed: 11, numRuns: 60 })) {
        expect(spec.requestBodyErrors(op, request.body), JSON.stringify(request.body)).toBeUndefined();
        expect(request.path).toMatch(/^\/v1\.0\/1234\//);
      }
    },
  );

  test.each(["wrong-type", "out-of-range", "missing-required", "malformed-json"] as const)("%s mutations are invalid", (kind) => {
    const op = spec.operation("createBackupConfiguration");
    const arbitrary = gen.request(op).chain((r) => mutate(spec, op, kind, r)!);
    for (const request of fc.sample(arbitrary, { seed: 5, numRuns: 40 })) {
      if (request.raw !== undefined) expect(() => JSON.parse(request.raw!)).toThrow();
      else expect(spec.requestBodyErrors(op, request.body), request.mutation).toBeDefined();
    }
  });

  test("the same seed generates the same requests", () => {
    const op = spec.operation("createRestore");
    expect(fc.sample(gen.request(op), { seed: 99, numRuns: 5 })).toEqual(fc.sample(gen.request(op), { seed: 99, numRuns: 5 }));
  });
});

describe("reports", () => {
  const report: Report = {
    tool: { name: "@cloud-backup/conformance", version: "0.1.0" },
    specVersion: "0.1.0",
    specHash: "x",
    baseUrl: "http://x",
    tenant: "1234",
    seed: 1,
    startedAt: "2026-07-01T00:00:00.000Z",
    durationMs: 1500,
    ok: false,
    totals: { passed: 1, failed: 1, skipped: 1, requests: 3 },
    capabilities: [
      { capability: "auth", passed: 1, failed: 1, skipped: 0, durationMs: 1000 },
      { capability: "workflows", passed: 0, failed: 0, skipped: 1, durationMs: 0 },
    ],
    checks: [
      { capability: "auth", name: "good", status: "passed", durationMs: 10 },
      { capability: "auth", name: "bad <&>", status: "failed", durationMs: 20, message: 'expected 401, got 200 "quoted"' },
      { capability: "workflows", name: "skipped one", status: "skipped", durationMs: 0, message: "no redocly" },
    ],
  };

  test("JUnit has one testsuite per capability and escapes text", () => {
    const xml = toJUnit(report);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml).toContain('<testsuite name="auth" tests="2" failures="1"');
    expect(xml).toContain("bad &lt;&amp;&gt;");
    expect(xml).toContain("&quot;quoted&quot;");
    expect(xml).toContain('<skipped message="no redocly"/>');
  });

  test("the table shows every capability and the failures", () => {
    const table = formatTable(report);
    expect(table).toMatch(/auth\s+1\s+1\s+0\s+1\.0s/);
    expect(table).toContain("✗ auth › bad <&>");
    expect(table).toContain("Result: FAIL (1 failed)");
  });
});

describe("arguments", () => {
  const base = ["--base-url", "http://127.0.0.1:4010", "--token", "t", "--tenant", "1234"];

  test("parses every option; --only takes several capabilities", () => {
    const parsed = parseArgs([
      ...base,
      "--admin-url",
      "http://127.0.0.1:4010",
      "--only",
      "auth",
      "backups",
      "--only=errors",
      "--seed",
      "7",
      "--report-json",
      "r.json",
      "--report-junit",
      "r.xml",
    ]);
    expect(parsed).toMatchObject({
      adminUrl: "http://127.0.0.1:4010",
      only: ["auth", "backups", "errors"],
      seed: 7,
      reportJson: "r.json",
      reportJunit: "r.xml",
    });
  });

  test("refuses bad input", () => {
    expect(() => parseArgs(base.slice(2))).toThrow(/missing --base-url/);
    expect(() => parseArgs([...base, "--only", "teleport"])).toThrow(/unknown capability/);
    expect(() => parseArgs([...base, "--seed", "abc"])).toThrow(/--seed must be an integer/);
    expect(() => parseArgs([...base, "--bogus"])).toThrow(/unknown argument/);
    expect(() => parseArgs(["--base-url", "ftp://x", "--token", "t", "--tenant", "1"])).toThrow(/http\(s\) URL/);
    expect(parseArgs(["--help"])).toBe("help");
  });

  test("--version, -h, inline values and values that are missing", () => {
    expect(parseArgs(["--version"])).toBe("version");
    expect(parseArgs(["-v"])).toBe("version");
    expect(parseArgs(["-h"])).toBe("help");
    expect(parseArgs(["--base-url=http://127.0.0.1:4010", "--token=t", "--tenant=1", "--only=auth,errors"])).toMatchObject({
      baseUrl: "http://127.0.0.1:4010",
      only: ["auth", "errors"],
    });
    expect(() => parseArgs(["--base-url", "http://x", "--token", "--tenant", "1"])).toThrow(/--token needs a value/);
    expect(() => parseArgs([...base, "stray"])).toThrow(/unknown argument "stray"/);
    expect(() => parseArgs([...base, "--runs", "0"])).toThrow(/--runs must be from 1 to 100000/);
  });

  test("knows the ten capabilities, and the optional internal one", () => {
    expect(CAPABILITIES.filter((c) => !OPTIONAL_CAPABILITIES.has(c))).toHaveLength(10);
    expect([...OPTIONAL_CAPABILITIES]).toEqual(["internal"]);
  });

  test("--include adds optional capabilities only", () => {
    expect(parseArgs([...base, "--include", "internal"])).toMatchObject({ include: ["internal"], only: [] });
    expect(() => parseArgs([...base, "--include", "auth"])).toThrow(/always runs/);
    expect(() => parseArgs([...base, "--include"])).toThrow(/--include needs a value/);
  });
});

test("a passphrase encrypted by the kit decrypts with the agent's private key", () => {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const key = { ModulusHex: Buffer.from(jwk.n!, "base64url").toString("hex").toUpperCase(), ExponentHex: 10001 };
  const hex = encryptPassphrase(key, "correct horse battery staple");
  expect(hex).toMatch(/^[0-9a-f]{512}$/);
  expect(decryptPassphrase(privateKey.export({ format: "pem", type: "pkcs8" }).toString(), hex)).toBe("correct horse battery staple");
});

test("an API that does not answer is one failure, and every check is skipped", async () => {
  const { runConformance } = await import("../src/index.js");
  const report = await runConformance({
    baseUrl: "http://nowhere.test",
    token: "t",
    tenant: "1",
    only: ["auth", "errors"],
    fetch: async () => {
      throw new TypeError("fetch failed");
    },
  });
  expect(report.ok).toBe(false);
  expect(report.totals.failed).toBe(1);
  expect(report.checks[0]).toMatchObject({ capability: "auth", name: "the API answers at --base-url", status: "failed" });
  expect(report.checks.slice(1).every((c) => c.status === "skipped")).toBe(true);
});
