/**
 * The command line over a real socket: the reference server listens on a free port inside
 * this test (its clock runs 100 times faster than real time so the Arazzo workflows' backups
 * finish in a few seconds), and `cloud-backup-conformance` runs against it as a user would.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createServer } from "@cloud-backup/server";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Report, runConformance } from "../src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist", "cli.js");
let url = "";
let close: () => Promise<void> = async () => {};
const dir = mkdtempSync(join(tmpdir(), "conformance-cli-"));

/** Runs the CLI without blocking this process (the server answers from here). */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The newest modification time of the files under a directory. */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

beforeAll(async () => {
  // The CLI is the built one, as users run it; build it unless dist is newer than src.
  if (!existsSync(cli) || newest(join(root, "src")) > statSync(cli).mtimeMs) {
    await promisify(execFile)(process.execPath, [
      join(root, "../../node_modules/typescript/bin/tsc"),
      "-p",
      join(root, "tsconfig.build.json"),
    ]);
  }
  const app = createServer({ clock: { speed: 100 } });
  await new Promise<void>((ready) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      url = `http://127.0.0.1:${info.port}`;
      close = () => new Promise<void>((done) => server.close(() => done()));
      ready();
    });
  });
}, 60_000);

afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cloud-backup-conformance", () => {
  test("passes against the reference server, Arazzo workflows included", async () => {
    const json = join(dir, "report.json");
    const junit = join(dir, "report.xml");
    const run = await runCli([
      "--base-url",
      url,
      "--token",
      "demo-token",
      "--tenant",
      "1234",
      "--admin-url",
      url,
      "--seed",
      "424242",
      "--runs",
      "25",
      "--report-json",
      json,
      "--report-junit",
      junit,
    ]);
    console.log(run.stdout);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Capability\s+Passed\s+Failed\s+Skipped\s+Time/);
    expect(run.stdout).toContain("Result: PASS");
    const report = JSON.parse(readFileSync(json, "utf8")) as Report;
    expect(report.ok).toBe(true);
    expect(report.capabilities.map((c) => c.capability)).toHaveLength(10);
    const workflows = report.capabilities.find((c) => c.capability === "workflows")!;
    expect(workflows).toMatchObject({ passed: 3, failed: 0, skipped: 0 });
    expect(report.robustness?.seed).toBe(424242);
    expect(report.robustness?.generatedRequests).toBeGreaterThanOrEqual(150);
    const xml = readFileSync(junit, "utf8");
    expect(xml.match(/<testsuite /g)).toHaveLength(10);
    expect(xml).not.toContain("<failure");
  }, 120_000);

  test("exits 1 when a check fails", async () => {
    const run = await runCli(["--base-url", url, "--token", "not-a-token", "--tenant", "1234", "--only", "auth"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Result: FAIL");
    expect(run.stdout).toMatch(/the given token lists the given tenant's agents[\s\S]*expected 200, got 401/);
  }, 60_000);

  test("the workflows capability reports a failing Arazzo step", async () => {
    // A variant whose wakeAgents is broken: the two journeys that wake agents must fail there.
    const app = createServer({ clock: { speed: 100 } });
    const broken = async (request: Request) =>
      new URL(request.url).pathname.endsWith("/user/wakeupagents")
        ? new Response(JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503 }), {
            status: 503,
            headers: { "content-type": "application/problem+json" },
          })
        : app.fetch(request);
    const { base, stop } = await new Promise<{ base: string; stop: () => Promise<void> }>((ready) => {
      const server = serve({ fetch: broken, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
        ready({ base: `http://127.0.0.1:${info.port}`, stop: () => new Promise<void>((done) => server.close(() => done())) }),
      );
    });
    try {
      const report = await runConformance({ baseUrl: base, adminUrl: base, token: "demo-token", tenant: "1234", only: ["workflows"] });
      console.log(report.checks.map((c) => `${c.status} ${c.name}\n${c.message ?? ""}`).join("\n"));
      const byName = Object.fromEntries(report.checks.map((c) => [c.name.split(" ")[0], c]));
      expect(byName["getting-started.arazzo.yaml"]?.status).toBe("failed");
      expect(byName["getting-started.arazzo.yaml"]?.message).toMatch(/gettingStarted › wakeAgents[\s\S]*503/);
      expect(byName["backup-and-restore.arazzo.yaml"]?.status).toBe("failed");
      expect(byName["encryption.arazzo.yaml"]?.status).toBe("passed");
    } finally {
      await stop();
    }
  }, 90_000);

  test("the committed bin entry answers --version and --help", async () => {
    const bin = join(root, "bin", "cloud-backup-conformance.js");
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd: root });
        let stdout = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.on("close", (code) => resolve({ code, stdout }));
      });
    const version = await run(["--version"]);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(version).toMatchObject({ code: 0 });
    expect(version.stdout).toMatch(
      new RegExp(
        `^cloud-backup-conformance ${pkg.version.replaceAll(".", "\\.")} \\(Cloud Backup API description \\d+\\.\\d+\\.\\d+\\)\\n$`,
      ),
    );
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: cloud-backup-conformance --base-url URL");
    expect(help.stdout).toContain("-v, --version");
  }, 60_000);

  test("exits 2 on bad arguments", async () => {
    const missing = await runCli(["--base-url", url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing --token, --tenant/);
    const unknown = await runCli(["--base-url", url, "--token", "t", "--tenant", "1", "--only", "everything"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown capability "everything"/);
  }, 60_000);
});
