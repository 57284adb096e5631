/**
 * The public packages, proven from their tarballs: each is built and `npm pack`ed, the
 * tarballs are installed together (one `npm install`, so @cloud-backup/* dependencies resolve
 * to the sibling tarballs; third-party ones come from the registry) into a fresh project in
 * the OS temp folder, outside the repository, and used there as a consumer would:
 *
 * - every package is imported;
 * - a program is type-checked against spec, server, client, conformance and reference-server
 *   (TypeScript installed in that project; module nodenext, strict, skipLibCheck off), and
 *   another against msw (the same, with the DOM library msw's typings need);
 * - the CLI tarball's `cloud-backup-server --port 0` is started and called with the client
 *   tarball, and the conformance tarball's CLI checks it (auth and errors capabilities);
 * - a `node --test` file runs the client tarball, built as in production (Identity credentials,
 *   region dfw), against `cloudBackupHandlers()` of the msw tarball in `msw/node` (msw from the
 *   registry, at the version of the workspace);
 * - `npx cloud-backup-server` and `npx cloud-backup-conformance` (and the scoped forms the
 *   docs show) answer --help and --version there, offline;
 * - the CI recipe's shell steps (scripts/ci/conformance-recipe.sh, the job in
 *   docs/conformance.md) start the server in the background and run the kit there;
 * - publint (errors fail) and @arethetypeswrong/cli (profile esm-only) check each tarball.
 *
 * The install runs with --ignore-scripts: better-sqlite3 (the server's `--data` store) is
 * not compiled, and the server must work without it.
 *
 * Skips, saying so, only when the npm registry cannot be reached.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, "../../..");
const CONSUMER = resolve(import.meta.dirname, "consumer");

const PACKAGES = [
  { name: "@cloud-backup/spec", dir: "packages/spec" },
  { name: "@cloud-backup/server", dir: "packages/server" },
  { name: "@cloud-backup/client", dir: "packages/client" },
  { name: "@cloud-backup/conformance", dir: "packages/conformance" },
  { name: "@cloud-backup/reference-server", dir: "apps/reference-server" },
  { name: "@cloud-backup/msw", dir: "packages/msw" },
] as const;

/**
 * attw: these packages are ESM only (`"type": "module"`, exports with types + default), on
 * purpose. The esm-only profile ignores node10 resolution (it does not read `exports`) and
 * node16 from CommonJS (require of ESM). `./openapi.yaml` of the spec is a data file for
 * tools (a path to read), not a module, so it has no types to find.
 */
const ATTW_ARGS = ["--profile", "esm-only", "--format", "json"];
const ATTW_EXCLUDE: Record<string, string[]> = { "@cloud-backup/spec": ["./openapi.yaml"] };

/** npm settings given through the environment that the child npm commands keep (registry, cache, TLS, proxies, auth). */
const KEEP_NPM_ENV =
  /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|fetch_[a-z_]+|@[^:]+:registry|\/\/.*)$/i;

/** The environment without npm's per-script variables of the outer `npm test` (they would leak workspace settings). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if ((/^npm_/i.test(key) && !KEEP_NPM_ENV.test(key)) || key === "INIT_CWD") continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", FORCE_COLOR: "0", NO_UPDATE_NOTIFIER: "1" };
}

async function sh(cmd: string, args: string[], options: { cwd: string; timeout: number }) {
  try {
    const { stdout, stderr } = await exec(cmd, args, { ...options, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean; signal?: string };
    return {
      code: typeof e.code === "number" ? e.code : 1,
      stdout: e.stdout ?? "",
      stderr: `${e.stderr ?? ""}${e.killed ? `\n(killed: ${e.signal}, timeout ${options.timeout} ms)` : ""}`,
    };
  }
}

async function must(cmd: string, args: string[], options: { cwd: string; timeout: number }) {
  const r = await sh(cmd, args, options);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${options.cwd}) exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

// Is the registry reachable? (the only reason to skip)
const ping = await sh("npm", ["ping"], { cwd: tmpdir(), timeout: 60_000 });
const offline =
  ping.code === 0
    ? null
    : (ping.stderr || ping.stdout)
        .split("\n")
        .filter((l) => /code|errno|ECONN|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|request to|killed/i.test(l))
        .slice(0, 2)
        .join("; ") || `npm ping exited ${ping.code}`;
if (offline) console.warn(`tarballs.test.ts skipped: the npm registry is unreachable (${offline})`);

describe.skipIf(offline !== null)("public packages from their tarballs", () => {
  let work = "";
  let packs = "";
  let project = "";
  const tarballs = new Map<string, { file: string; files: string[] }>();
  const summary: string[] = [];
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "cb-tarballs-"));
    packs = join(work, "packs");
    project = join(work, "consumer");
    expect(relative(ROOT, project).startsWith("..")).toBe(true); // outside the repository
    mkdirSync(packs, { recursive: true });
    mkdirSync(project, { recursive: true });

    // 1. Build. Under turbo (`npm test`), ^build already built every dependency of this workspace.
    if (!process.env.TURBO_HASH) {
      await must("npx", ["turbo", "run", "build", ...PACKAGES.map((p) => `--filter=${p.name}`), "--output-logs=errors-only"], {
        cwd: ROOT,
        timeout: 480_000,
      });
    }

    // 2. Pack each package.
    for (const pkg of PACKAGES) {
      const r = await must("npm", ["pack", "--pack-destination", packs, "--json", "--loglevel=error"], {
        cwd: join(ROOT, pkg.dir),
        timeout: 120_000,
      });
      const [info] = JSON.parse(r.stdout.slice(r.stdout.indexOf("["))) as Array<{ filename: string; files: Array<{ path: string }> }>;
      tarballs.set(pkg.name, { file: join(packs, info!.filename), files: info!.files.map((f) => f.path) });
    }

    // 3. A fresh project; all tarballs in one install so they resolve to each other.
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "cloud-backup-consumer", private: true, type: "module" }, null, 2));
    for (const file of ["check.ts", "tsconfig.json", "smoke.mjs", "call.mjs", "msw-suite.mjs", "msw-check.ts", "tsconfig.msw.json"])
      cpSync(join(CONSUMER, file), join(project, file));
    const typescriptVersion = require("typescript/package.json").version as string;
    // @cloud-backup/msw's peer dependency, at the version its own tests use.
    const mswVersion = require("msw/package.json").version as string;
    await must(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--loglevel=error",
        // better-sqlite3's install script would compile it from source here (its prebuilt
        // binaries are out of reach), minutes on this machine. It is loaded only for --data,
        // which the reference server's own tests cover; skipping it also proves the server
        // and the CLI start without the native module.
        "--ignore-scripts",
        ...PACKAGES.map((p) => tarballs.get(p.name)!.file),
        `typescript@${typescriptVersion}`,
        "@types/node@^20.19.0",
        `msw@${mswVersion}`,
      ],
      { cwd: project, timeout: 420_000 },
    );
  }, 600_000);

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill("SIGKILL");
    console.log(`\nTarball smoke results:\n${summary.map((l) => `  ${l}`).join("\n")}`);
    if (process.env.KEEP_TARBALL_PROJECT) console.log(`kept ${work}`);
    else if (work) rmSync(work, { recursive: true, force: true });
  });

  it("each tarball holds its entry points, typings and no tests", () => {
    for (const pkg of PACKAGES) {
      const { files } = tarballs.get(pkg.name)!;
      const manifest = JSON.parse(readFileSync(join(ROOT, pkg.dir, "package.json"), "utf8"));
      const entry = manifest.exports["."];
      expect(files, pkg.name).toContain("package.json");
      expect(files, pkg.name).toContain(entry.default.replace(/^\.\//, ""));
      expect(files, pkg.name).toContain(entry.types.replace(/^\.\//, ""));
      for (const bin of Object.values<string>(manifest.bin ?? {})) expect(files, pkg.name).toContain(bin.replace(/^\.\//, ""));
      expect(
        files.filter((f) => /(^|\/)test\/|\.test\.[cm]?[jt]s$|\.test-d\.ts$/.test(f)),
        pkg.name,
      ).toEqual([]);
      expect(manifest.private, pkg.name).toBeUndefined();
      if (!files.includes("CHANGELOG.md")) summary.push(`${pkg.name}: note: CHANGELOG.md is not in the tarball (add it to "files")`);
    }
  });

  it("the @cloud-backup/* dependencies resolved to the sibling tarballs", () => {
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
    for (const pkg of PACKAGES) {
      const entry = lock.packages[`node_modules/${pkg.name}`];
      expect(entry?.resolved, pkg.name).toMatch(/^file:.*\.tgz$/);
    }
    const fromRegistry = Object.entries<{ resolved?: string }>(lock.packages).filter(
      ([path, entry]) => path.includes("@cloud-backup/") && !(entry.resolved ?? "").startsWith("file:"),
    );
    expect(fromRegistry).toEqual([]);
  });

  it("imports every package", async () => {
    const r = await must(process.execPath, ["smoke.mjs"], { cwd: project, timeout: 60_000 });
    const result = JSON.parse(r.stdout.trim().split("\n").pop()!);
    const specVersion = JSON.parse(readFileSync(join(ROOT, "packages/spec/package.json"), "utf8")).version;
    expect(result["@cloud-backup/spec"]).toMatchObject({
      specVersion,
      openapiJsonVersion: specVersion,
      operationById: "/v1.0/{tenant_id}/agent/{machineAgentId}",
    });
    expect(result["@cloud-backup/spec"].operations).toBeGreaterThan(0);
    expect(result["@cloud-backup/server"]).toMatchObject({ createServer: "function", listAgentsStatus: 200 });
    expect(result["@cloud-backup/spec/crypto"]).toEqual({ roundTrip: "tarball" });
    expect(result["@cloud-backup/server/node"]).toEqual({ createServer: "function", Store: "function", docsWithoutDir: 404 });
    expect(result["@cloud-backup/client"]).toMatchObject({ createBackupClient: "function" });
    expect(result["@cloud-backup/conformance"]).toMatchObject({ runConformance: "function" });
    expect(result["@cloud-backup/reference-server"]).toMatchObject({ start: "function", parseArgs: "function" });
    expect(result["@cloud-backup/msw"]).toMatchObject({ cloudBackupHandlers: "function", handlers: 8, agents: 4 });
    for (const [name, value] of Object.entries(result)) summary.push(`${name}: import ok ${JSON.stringify(value)}`);
  }, 120_000);

  it("type-checks a program against the packages (module nodenext, strict)", async () => {
    const tsc = join(project, "node_modules/typescript/bin/tsc");
    const r = await sh(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project, timeout: 240_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const withMsw = await sh(process.execPath, [tsc, "-p", "tsconfig.msw.json"], { cwd: project, timeout: 240_000 });
    expect(withMsw.code, `${withMsw.stdout}\n${withMsw.stderr}`).toBe(0);
    summary.push(
      "type check (tsc nodenext strict, skipLibCheck off) against spec, server, client, conformance, reference-server; and msw with msw's typings (DOM lib): ok",
    );
  }, 300_000);

  it("starts cloud-backup-server from the CLI tarball and calls it with the client tarball", async () => {
    const bin = join(project, "node_modules/.bin/cloud-backup-server");
    expect(existsSync(bin)).toBe(true);
    server = spawn(bin, ["--port", "0", "--quiet"], { cwd: project, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /listening on (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]!);
        }
      };
      server!.stdout!.on("data", onData);
      server!.stderr!.on("data", onData);
      server!.on("exit", (code) => reject(new Error(`cloud-backup-server exited ${code}:\n${output}`)));
    });
    summary.push(`@cloud-backup/reference-server: npx cloud-backup-server --port 0 listening on ${url}`);

    const call = await must(process.execPath, ["call.mjs", url], { cwd: project, timeout: 60_000 });
    const result = JSON.parse(call.stdout.trim().split("\n").pop()!);
    expect(result).toMatchObject({ notFound: 404 });
    expect(result.agents).toBeGreaterThan(0);
    expect(typeof result.firstAgent).toBe("string");
    summary.push(`@cloud-backup/client: listAgents, getAgent, 404 as BackupApiError against it: ${JSON.stringify(result)}`);

    const conformance = await sh(
      join(project, "node_modules/.bin/cloud-backup-conformance"),
      ["--base-url", url, "--token", "demo-token", "--tenant", "1234", "--admin-url", url, "--only", "auth", "errors"],
      { cwd: project, timeout: 120_000 },
    );
    expect(conformance.code, `${conformance.stdout}\n${conformance.stderr}`).toBe(0);
    const total = conformance.stdout.split("\n").find((l) => l.startsWith("Total"));
    summary.push(
      `@cloud-backup/conformance: cloud-backup-conformance --only auth errors against it: ${total?.replace(/\s+/g, " ").trim() ?? "?"} (passed failed skipped time)`,
    );

    const exited = new Promise<number | null>((done) => server!.once("exit", (code) => done(code)));
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 240_000);

  it("runs the client against cloudBackupHandlers() with production settings (msw/node, node --test)", async () => {
    const r = await sh(process.execPath, ["--test", "--test-reporter=tap", "msw-suite.mjs"], { cwd: project, timeout: 120_000 });
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/# pass 2\b/);
    expect(r.stdout).toMatch(/# fail 0\b/);
    summary.push(
      "@cloud-backup/msw: node --test msw-suite.mjs (client with Identity credentials and region dfw against cloudBackupHandlers() in msw/node): 2 passed",
    );
  }, 180_000);
  it("npx runs both commands in the empty project: --help and --version, without the registry", async () => {
    const versions = Object.fromEntries(
      PACKAGES.map((p) => [p.name, JSON.parse(readFileSync(join(ROOT, p.dir, "package.json"), "utf8")).version as string]),
    );
    // --offline: the commands must come from the installed tarballs, never from the registry.
    const npx = (args: string[]) => must("npx", ["--offline", "--no-install", ...args], { cwd: project, timeout: 60_000 });
    const serverVersion = await npx(["cloud-backup-server", "--version"]);
    expect(serverVersion.stdout.trim()).toBe(
      `cloud-backup-server ${versions["@cloud-backup/reference-server"]} (Cloud Backup API description ${versions["@cloud-backup/spec"]})`,
    );
    const serverHelp = await npx(["cloud-backup-server", "--help"]);
    expect(serverHelp.stdout).toContain("Usage: cloud-backup-server [options]");
    const kitVersion = await npx(["cloud-backup-conformance", "--version"]);
    expect(kitVersion.stdout.trim()).toBe(
      `cloud-backup-conformance ${versions["@cloud-backup/conformance"]} (Cloud Backup API description ${versions["@cloud-backup/spec"]})`,
    );
    const kitHelp = await npx(["cloud-backup-conformance", "--help"]);
    expect(kitHelp.stdout).toContain("Usage: cloud-backup-conformance --base-url URL");
    // The scoped forms the docs show.
    const scoped = await npx(["@cloud-backup/reference-server", "--version"]);
    expect(scoped.stdout.trim()).toBe(serverVersion.stdout.trim());
    const scopedKit = await npx(["-p", "@cloud-backup/conformance", "cloud-backup-conformance", "--version"]);
    expect(scopedKit.stdout.trim()).toBe(kitVersion.stdout.trim());
    summary.push(
      `npx (offline) in the empty project: ${serverVersion.stdout.trim()}; ${kitVersion.stdout.trim()}; scoped forms answer the same`,
    );
  }, 240_000);

  it("the CI recipe's shell steps (scripts/ci/conformance-recipe.sh) run in the project, and docs/conformance.md shows the same steps", async () => {
    const script = readFileSync(join(ROOT, "scripts/ci/conformance-recipe.sh"), "utf8");
    // Every line of every step is in the documented job (the script passes extra kit arguments on with "$@").
    const docs = readFileSync(join(ROOT, "docs/conformance.md"), "utf8");
    const job = /```yaml\n([\s\S]*?)```/.exec(docs.slice(docs.indexOf("GitHub Actions")))?.[1] ?? "";
    const steps = script.split("# step: ").slice(1);
    expect(steps.length).toBe(4);
    for (const step of steps) {
      const [name, ...lines] = step.trim().split("\n");
      expect(job, `the step "${name}"`).toContain(name!);
      for (const line of lines.map((l) => l.trim().replace(' "$@"', "")).filter((l) => l && !l.startsWith("#")))
        expect(job, `docs/conformance.md lacks: ${line}`).toContain(line);
    }
    const port = await new Promise<number>((done) => {
      const probe = createNetServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => done(free));
      });
    });
    const env = { ...cleanEnv(), PORT: String(port) };
    const r = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn("bash", [join(ROOT, "scripts/ci/conformance-recipe.sh"), "--only", "auth", "errors"], {
        cwd: project,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("close", (code) => done({ code, output }));
    });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain("Result: PASS");
    const junit = readFileSync(join(project, "reports/conformance.xml"), "utf8");
    expect(junit).toContain("<testsuite ");
    expect(junit).not.toContain("<failure");
    // The last step stopped the server (npx passes the signal on; shutting down takes a moment).
    const pid = Number(readFileSync(join(project, "server.pid"), "utf8"));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const answers = () =>
      fetch(`http://127.0.0.1:${port}/__admin/health`).then(
        () => true,
        () => false,
      );
    for (let i = 0; i < 60 && (alive() || (await answers())); i++) await new Promise((wait) => setTimeout(wait, 250));
    const stopped = !alive() && !(await answers());
    if (!stopped && alive()) process.kill(pid, "SIGKILL");
    expect(stopped, "the recipe's last step left the server running").toBe(true);
    summary.push(
      `CI recipe (scripts/ci/conformance-recipe.sh) in the project on port ${port}: ${
        r.output
          .split("\n")
          .find((l) => l.startsWith("Total"))
          ?.replace(/\s+/g, " ")
          .trim() ?? "?"
      }`,
    );
  }, 240_000);

  it("publint finds no errors in any tarball", async () => {
    const errors: string[] = [];
    for (const pkg of PACKAGES) {
      const data = readFileSync(tarballs.get(pkg.name)!.file);
      const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      const { messages, pkg: manifest } = await publint({ pack: { tarball }, level: "suggestion" });
      const lines = messages.map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false }) ?? m.code}`);
      errors.push(
        ...messages.filter((m) => m.type === "error").map((m) => `${pkg.name}: ${formatMessage(m, manifest, { color: false }) ?? m.code}`),
      );
      summary.push(`${pkg.name}: publint ${lines.length ? lines.join("; ") : "no errors, warnings or suggestions"}`);
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it("@arethetypeswrong/cli finds no problems (profile esm-only)", async () => {
    const attw = join(dirname(require.resolve("@arethetypeswrong/cli/package.json")), "dist/index.js");
    const failures: string[] = [];
    for (const pkg of PACKAGES) {
      const exclude = ATTW_EXCLUDE[pkg.name] ?? [];
      const args = [attw, tarballs.get(pkg.name)!.file, ...ATTW_ARGS, ...(exclude.length ? ["--exclude-entrypoints", ...exclude] : [])];
      const r = await sh(process.execPath, args, { cwd: work, timeout: 120_000 });
      const report = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as {
        analysis: { problems?: Array<{ kind: string; entrypoint: string; resolutionKind?: string }> };
      };
      const problems = report.analysis.problems ?? [];
      const ignored = problems.filter((p) => p.resolutionKind === "node10" || p.resolutionKind === "node16-cjs");
      const counted = problems.filter((p) => !ignored.includes(p));
      if (r.code !== 0 || counted.length) failures.push(`${pkg.name}: exit ${r.code}, ${JSON.stringify(counted)}`);
      const entrypoints = Object.keys((report.analysis as { entrypoints?: object }).entrypoints ?? {});
      summary.push(
        `${pkg.name}: attw ${counted.length ? "PROBLEMS" : "ok"} for ${entrypoints.join(", ")} (ignored by esm-only: ${[...new Set(ignored.map((p) => `${p.kind}@${p.resolutionKind}`))].join(", ") || "none"}${exclude.length ? `; excluded ${exclude.join(", ")}` : ""})`,
      );
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
