import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect, createServer as createNetServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { banner, parseArgs, USAGE, VERSION } from "../src/main.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
/** The committed bin entry npm links (`cloud-backup-server`), which loads dist/cli.js. */
const bin = fileURLToPath(new URL("../bin/cloud-backup-server.js", import.meta.url));
const example = fileURLToPath(new URL("../examples/seed.json", import.meta.url));

/** Runs the command to its end (for the start-up failures and --help/--version). */
function run(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PORT: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running after ${timeoutMs} ms: ${stdout}${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the command and resolves with its banner (the caller stops it). */
function startCli(args: string[]): Promise<{ child: ChildProcess; output: () => string; url: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match && output.includes("Control API:")) {
        clearTimeout(timer);
        resolve({ child, output: () => output, url: match[1]! });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe("parseArgs", () => {
  const cases: Array<{ given: string[]; env?: Record<string, string>; want: unknown }> = [
    { given: [], want: { port: 4010, host: "127.0.0.1", clockSpeed: 1, quiet: false } },
    { given: [], env: { PORT: "5001" }, want: { port: 5001 } },
    { given: ["--port", "7000", "--host", "0.0.0.0", "--clock-speed", "60"], want: { port: 7000, host: "0.0.0.0", clockSpeed: 60 } },
    { given: ["--help"], want: "help" },
  ];
  it.each(cases)("parses $given", ({ given, env, want }) => {
    const got = parseArgs(given, env ?? {});
    if (typeof want === "string") expect(got).toBe(want);
    else expect(got).toMatchObject(want as object);
  });

  it.each([[["--port", "x"]], [["--clock-speed", "-1"]], [["--bogus"]], [["--port"]], [["--fsync"]], [["--data", ""]]])(
    "rejects %j",
    (given) => {
      expect(() => parseArgs(given as string[], {})).toThrow();
    },
  );

  it("refuses --fsync without --data, saying what to do", () => {
    expect(() => parseArgs(["--fsync"], {})).toThrow(
      "--fsync needs --data FILE (it makes each write to the data file survive power loss). Add --data FILE, or drop --fsync",
    );
    expect(parseArgs(["--fsync", "--data", "x.db"], {})).toMatchObject({ fsync: true, data: "x.db" });
  });
});

/** Runs the CLI until it prints its banner (then stops it) or exits; answers what it printed. */
function runCli(
  args: string[],
  options: { uid?: number; gid?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, "--port", "0", "--quiet", ...args], { stdio: ["ignore", "pipe", "pipe"], ...options });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`neither a banner nor an exit: ${stdout} ${stderr}`)), 15_000);
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (/listening on/.test(stdout)) {
        clearTimeout(timer);
        resolve({ code: null, stdout, stderr, child });
      }
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, child });
    });
  });
}

describe("start-up with a data file", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "cb-cli-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  /** A refusal is one line, `cloud-backup-server: <what>. <hint>`, with no stack trace. */
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split("\n");
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^cloud-backup-server: /);
    return lines[0]!;
  };

  it("says the directory is missing, with a hint", async () => {
    const run = await runCli(["--data", "/no/such/dir/x.db"]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(
      "cloud-backup-server: cannot create the data file /no/such/dir/x.db: the directory /no/such/dir does not exist. Create it first (mkdir -p /no/such/dir) or give a file in an existing directory",
    );
  });

  it("refuses a second server on the same file, naming the file and the holder", async () => {
    const file = join(tempDir(), "shared.db");
    const first = await runCli(["--data", file]);
    try {
      expect(first.code).toBeNull();
      expect(first.stdout).toContain(`World:        ${file} (SQLite, locked while this server runs)`);
      const second = await runCli(["--data", file]);
      expect(second.code).toBe(1);
      expect(oneLine(second.stderr)).toMatch(
        new RegExp(
          `^cloud-backup-server: the data file ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is in use by another reference server \\(pid ${first.child.pid} on ${hostname()}, since .+\\)\\. Stop that server first, or give this one its own data file$`,
        ),
      );
    } finally {
      first.child.kill("SIGKILL");
    }
  }, 30_000);

  it("refuses a SQLite file of another program", async () => {
    const file = join(tempDir(), "other.db");
    const db = new Database(file);
    db.exec("CREATE TABLE notes (text TEXT)");
    db.close();
    const run = await runCli(["--data", file]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toContain(`the data file ${file} is a SQLite database of another program (tables notes;`);
  });

  it("refuses a data file it cannot write, naming the cause", async () => {
    const dir = tempDir();
    const file = join(dir, "readonly.db");
    const made = await runCli(["--data", file]);
    made.child.kill("SIGTERM");
    await new Promise((r) => made.child.on("exit", r));
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    // root writes read-only files anyway: run as an unprivileged user then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    chmodSync(join(dir, ".."), 0o755);
    try {
      const run = await runCli(["--data", file], asUser);
      expect(run.code).toBe(1);
      expect(oneLine(run.stderr)).toMatch(/^cloud-backup-server: the data file .*readonly\.db cannot be (written|opened) \(.+\)\. /);
    } finally {
      chmodSync(dir, 0o755);
    }
  }, 30_000);
  it.each([
    [["--port", "x"], /--port must be an integer from 0 to 65535, got "x"/],
    [["--bogus"], /unknown option --bogus/],
    [["--port"], /--port needs a value/],
    [["--port", "--quiet"], /--port needs a value/],
    [["extra"], /unexpected argument extra/],
    [["--port", "1", "--port", "2"], /--port is given twice \("1" and "2"\)/],
    [["--cors", "localhost:3000"], /--cors takes origins such as/],
    [["--cors", "http://a.example/path"], /--cors takes origins/],
    [["--admin-token", ""], /--admin-token must not be empty/],
  ])("explains what is wrong with %j", (given, message) => {
    expect(() => parseArgs(given as string[], {})).toThrow(message);
  });

  it("reads --cors with or without origins, --version and -h", () => {
    expect(parseArgs(["--cors"], {})).toMatchObject({ cors: ["*"] });
    expect(parseArgs(["--cors", "--quiet"], {})).toMatchObject({ cors: ["*"], quiet: true });
    expect(parseArgs(["--cors", "http://127.0.0.1:5173,https://app.example"], {})).toMatchObject({
      cors: ["http://127.0.0.1:5173", "https://app.example"],
    });
    expect(parseArgs(["--cors=*"], {})).toMatchObject({ cors: ["*"] });
    expect(parseArgs(["--version"], {})).toBe("version");
    expect(parseArgs(["-v"], {})).toBe("version");
    expect(parseArgs(["-h"], {})).toBe("help");
    expect(parseArgs([], {})).not.toHaveProperty("cors");
  });
});

describe("the banner", () => {
  it("names the data file, the clock speed and whether the control API needs a token", () => {
    const memory = banner("http://127.0.0.1:4010", { seeded: true, clockSpeed: 1 });
    expect(memory).toContain("World:        in memory");
    expect(memory).toContain("Clock:        real time (speed 1)");
    expect(memory).toContain("no token needed, loopback callers only");
    const data = banner("http://127.0.0.1:4010", {
      seeded: false,
      data: "/srv/world.db",
      fsync: true,
      clockSpeed: 0,
      adminToken: true,
      cors: ["*"],
    });
    expect(data).toContain("World:        /srv/world.db (SQLite, fsync on every write, locked while this server runs)");
    expect(data).toContain("Clock:        frozen");
    expect(data).toContain("needs the X-Admin-Token header");
    expect(data).toContain("CORS:         any origin (the control API excluded)");
    expect(banner("http://x", { seeded: false, clockSpeed: 60 })).toContain("60 virtual seconds per real second");
    expect(banner("http://x", { seeded: false, data: "w.db", resumed: true, seedFile: "s.json" })).toContain(
      "--seed s.json was not applied",
    );
  });
});

describe("the command (bin/cloud-backup-server.js)", { timeout: 60_000 }, () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "cli-startup-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("--version and --help", async () => {
    const version = await run(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(`cloud-backup-server ${VERSION} (Cloud Backup API description ${VERSION})`);
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout.trim()).toBe(USAGE.trim());
    expect(help.stdout).toContain("--cors [ORIGINS]");
  });

  it("a bad option exits 2 with the reason and the usage", async () => {
    const r = await run(["--prot", "4010"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("cloud-backup-server: unknown option --prot");
    expect(r.stderr).toContain("Usage: cloud-backup-server");
  });

  /** Start-up failures: exit 1, one line, a hint, no stack trace. */
  async function fails(args: string[], message: RegExp) {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^cloud-backup-server: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
  }

  it("port in use: says so and suggests --port 0", async () => {
    const blocker = createNetServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      await fails(["--port", String(port)], new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*--port 0 for a free one`));
    } finally {
      blocker.close();
    }
  });

  it("bad host: an address that is not this machine's, and a name that does not resolve", async () => {
    await fails(["--port", "0", "--host", "192.0.2.1"], /--host 192\.0\.2\.1 is not an address of this machine; use 127\.0\.0\.1/);
    await fails(
      ["--port", "0", "--host", "no-such-host.invalid"],
      /--host no-such-host\.invalid is not an address and does not resolve to one; use an IP address/,
    );
  });

  it("bad seed: missing file, bad JSON with its line, schema problems with their JSON pointer", async () => {
    await fails(["--port", "0", "--seed", join(dir, "missing.json")], /--seed .*missing\.json: no such file; give the path of a seed file/);
    writeFileSync(join(dir, "broken.json"), '{\n  "tenants": [,]\n}');
    await fails(["--port", "0", "--seed", join(dir, "broken.json")], /--seed .*broken\.json: not valid JSON at line 2, column 15/);
    writeFileSync(join(dir, "wrong.json"), JSON.stringify({ tenants: [{ id: "a", agents: [{ name: "ok" }, { name: 7 }] }] }));
    await fails(
      ["--port", "0", "--seed", join(dir, "wrong.json")],
      /--seed .*wrong\.json: \/tenants\/0\/agents\/1\/name must be string; the seed format is described by seed\.schema\.json/,
    );
    writeFileSync(
      join(dir, "old.json"),
      JSON.stringify({
        tenants: [
          { id: "a", agents: [{ id: 1, name: "a" }], configurations: [{ agentId: 2, name: "c", schedule: { Frequency: "Manually" } }] },
        ],
      }),
    );
    await fails(["--port", "0", "--seed", join(dir, "old.json")], /\/tenants\/0\/configurations\/0\/agentId is not the id of an agent/);
  });

  it("a --docs folder that is not a built site", async () => {
    await fails(["--port", "0", "--docs", join(dir, "nope")], /--docs .*nope: no such directory; build the docs site with `npm run docs`/);
    await fails(["--port", "0", "--docs", dir], /has no index\.html, so it is not a built docs site/);
  });

  it("starts from the example seed file and says which seed it uses", async () => {
    const { child, output, url } = await startCli(["--port", "0", "--seed", example, "--clock-speed", "0", "--quiet"]);
    try {
      expect(output()).toContain(`Seed:         ${example}`);
      expect(output()).toContain("Clock:        frozen");
      expect(output()).not.toContain("Demo account");
      const res = await fetch(`${url}/v1.0/acme/backup/700001`, { headers: { "X-Auth-Token": "acme-admin-token" } });
      const text = await res.text();
      expect(conformanceProblems("GET", "/v1.0/acme/backup/700001", res.status, res.headers.get("content-type"), text)).toEqual([]);
      expect(JSON.parse(text).CurrentState).toBe("CompletedWithErrors");
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it("--cors: the banner says so and the API answers a preflight; the control API does not", async () => {
    const { child, output, url } = await startCli(["--port", "0", "--cors", "http://127.0.0.1:5173", "--admin-token", "s3cret", "--quiet"]);
    try {
      expect(output()).toContain("CORS:         http://127.0.0.1:5173 (the control API excluded)");
      expect(output()).toContain("needs the X-Admin-Token header");
      const preflight = await fetch(`${url}/v1.0/1234/user/agents`, {
        method: "OPTIONS",
        headers: {
          Origin: "http://127.0.0.1:5173",
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "x-auth-token",
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5173");
      const admin = await fetch(`${url}/__admin/reset`, {
        method: "POST",
        headers: { Origin: "http://127.0.0.1:5173", "X-Admin-Token": "s3cret" },
      });
      expect(admin.status).toBe(403);
      expect(admin.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});

describe("the CLI over a real socket", () => {
  let child: ChildProcess;
  let url = "";
  let output = "";

  beforeAll(async () => {
    child = spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${output}`)), 15_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[^\s]+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
  }, 20_000);

  afterAll(() => {
    child?.kill("SIGTERM");
  });

  async function get(path: string, token = "demo-token") {
    const res = await fetch(url + path, { headers: { "X-Auth-Token": token } });
    const text = await res.text();
    expect(conformanceProblems("GET", path, res.status, res.headers.get("content-type"), text)).toEqual([]);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it("prints the demo account and a working curl line", async () => {
    expect(output).toContain("tenant 1234");
    expect(output).toContain("demo-token");
    const curl = /curl -s -H 'X-Auth-Token: ([^']+)' (\S+)/.exec(output);
    expect(curl).not.toBeNull();
    const res = await fetch(curl![2]!, { headers: { "X-Auth-Token": curl![1]! } });
    expect(res.status).toBe(200);
  });

  it("answers the API and the control API", async () => {
    expect((await get("/v1.0/1234/user/agents")).body).toHaveLength(4);
    expect((await get("/v1.0/1234/agent/999999")).status).toBe(404);
    expect((await get("/v1.0/1234/user/agents", "nope")).status).toBe(401);
    const health = await fetch(`${url}/__admin/health`);
    expect(health.status).toBe(200);
  });

  it("logs one line per request without the token", async () => {
    await get("/v1.0/1234/activity");
    await new Promise((r) => setTimeout(r, 100));
    expect(output).toMatch(/GET \/v1\.0\/1234\/activity listActivity 200 [\d.]+ms/);
    expect(
      output
        .split("\n")
        .filter((l) => l.includes("listActivity"))
        .join("\n"),
    ).not.toContain("demo-token");
  });

  /** Sends bytes on a raw socket and resolves with everything the server answered before closing. */
  function rawExchange(bytes: string, { end = true, destroyAfterMs }: { end?: boolean; destroyAfterMs?: number } = {}) {
    const { port, hostname } = new URL(url);
    return new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let answer = "";
      socket.setEncoding("utf8");
      socket.on("data", (d: string) => (answer += d));
      socket.on("close", () => resolve(answer));
      socket.on("error", (error) => (answer ? resolve(answer) : reject(error)));
      socket.write(bytes);
      if (destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), destroyAfterMs);
      else if (end) socket.end();
    });
  }

  function problemOf(answer: string): { status: number; type: string; body: any } {
    const [head, body] = answer.split("\r\n\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head!)?.[1]);
    const type = /content-type: ([^\r]+)/i.exec(head!)?.[1] ?? "";
    return { status, type, body: body ? JSON.parse(body) : undefined };
  }

  it.each([
    ["oversized headers", `GET /v1.0/1234/user/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431],
    ["a malformed Content-Length", "POST /v1.0/1234/agent/enable HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n", 400],
    [
      "malformed chunked framing",
      "POST /v1.0/1234/agent/enable HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      400,
    ],
    [
      "an unsupported Expect",
      "POST /v1.0/1234/agent/enable HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\n{}",
      417,
    ],
  ])("answers %s at the transport level with a problem body", async (_what, bytes, status) => {
    const answer = problemOf(await rawExchange(bytes));
    expect(answer.status).toBe(status);
    expect(answer.type).toBe("application/problem+json");
    expect(answer.body.status).toBe(status);
    expect(answer.body.errors.length).toBeGreaterThan(0);
  });

  it("logs a client that aborts mid-body as an abort, not an internal error", async () => {
    const before = output.length;
    await rawExchange(
      'POST /v1.0/1234/backup-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: demo-token\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"MachineAgentId": 202743,',
      { destroyAfterMs: 200 },
    );
    await new Promise((r) => setTimeout(r, 300));
    const logged = output.slice(before);
    expect(logged).toMatch(/POST \/v1\.0\/1234\/backup-configuration createBackupConfiguration aborted by the client/);
    expect(logged).not.toContain("internal error");
  });

  it("refuses a Host that is not a loopback name (it listens on 127.0.0.1), and names its own address in the Identity catalog", async () => {
    const { port } = new URL(url);
    const ask = (host: string, path: string, method = "GET", body?: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port: Number(port),
            path,
            method,
            headers: { Host: host, "X-Auth-Token": "demo-token", "Content-Type": "application/json" },
          },
          (res) => {
            let text = "";
            res.on("data", (d) => (text += d));
            res.on("end", () => {
              expect(conformanceProblems(method, path, res.statusCode!, res.headers["content-type"] ?? null, text)).toEqual([]);
              resolve({ status: res.statusCode!, text });
            });
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    expect((await ask("evil.example", "/v1.0/1234/user/agents")).status).toBe(403);
    expect((await ask(`localhost:${port}`, "/v1.0/1234/user/agents")).status).toBe(200);
    const identity = await ask(
      `127.0.0.1:${port}`,
      "/v2.0/tokens",
      "POST",
      JSON.stringify({ auth: { "RAX-KSKEY:apiKeyCredentials": { username: "demo", apiKey: "demo-api-key" } } }),
    );
    expect(identity.status).toBe(200);
    expect(JSON.parse(identity.text).access.serviceCatalog[0].endpoints[0].publicURL).toBe(`${url}/v1.0/1234`);
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
