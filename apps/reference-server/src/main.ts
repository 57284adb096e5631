import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { parseArgs as parseArgv } from "node:util";
import { serve } from "@hono/node-server";
import { createServer, DEMO, isLoopbackAddress, type CloudBackupServer, type WorldSeed } from "@cloud-backup/server/node";
import { answerTransportErrors, httpServerOptions } from "./transport.js";

export interface CliOptions {
  port: number;
  host: string;
  seed?: string;
  clockSpeed: number;
  adminToken?: string;
  data?: string;
  fsync: boolean;
  docsDir?: string;
  /** The address clients reach the server at, for Identity's service catalog (default: the listen address). */
  publicUrl?: string;
  quiet: boolean;
  /** Origins allowed to call the API from a browser (`*` for any); unset, no CORS. */
  cors?: string[];
}

/** The package's version (from its package.json, next to dist/ and src/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;

export const USAGE = `Usage: cloud-backup-server [options]

Runs the Cloud Backup API v1.0 reference server.

Options:
  --port N           port to listen on (default: $PORT or 4010; 0 picks a free port)
  --host HOST        address to bind (default: 127.0.0.1)
  --seed FILE        start from a custom world (JSON, see seed.schema.json) instead of the demo world
  --clock-speed N    virtual seconds per real second (default: 1; 0 freezes the clock)
  --admin-token T    require X-Admin-Token on the control API (needed to reach it from other hosts)
  --data FILE        keep the world in this SQLite file (survives restarts; default: in memory);
                     one server per file: a second one is refused while the first runs
  --fsync            with --data, fsync every write (survives power loss; slower)
  --cors [ORIGINS]   let browser pages on these origins call the API (comma-separated;
                     no value or * allows any origin; the control API never allows CORS)
  --docs DIR         serve a built docs site at /docs (default: apps/docs/dist when built)
  --public-url URL   the address named in Identity's service catalog (default: the listen address)
  --quiet            do not log requests
  -v, --version      print the version
  -h, --help         show this help
`;

/** A bad command line: the message names the option and what is wrong with it. */
export class UsageError extends Error {}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  seed: { type: "string" },
  "clock-speed": { type: "string" },
  "admin-token": { type: "string" },
  data: { type: "string" },
  "public-url": { type: "string" },
  fsync: { type: "boolean" },
  cors: { type: "string" },
  docs: { type: "string" },
  quiet: { type: "boolean" },
  version: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

/** `--cors` takes an optional value: alone (or before another option) it means any origin. */
function withCorsDefault(argv: string[]): string[] {
  return argv.map((arg, i) => (arg === "--cors" && (i === argv.length - 1 || argv[i + 1]!.startsWith("-")) ? "--cors=*" : arg));
}

/** node:util's messages, said the way the rest of this CLI says them. */
function usageError(error: unknown): UsageError {
  const e = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return new UsageError(`unknown option ${option}`);
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return new UsageError(`${option} needs a value`);
  if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
    return new UsageError(`unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ""} (options start with --)`);
  return new UsageError(e.message);
}

function parseOrigins(value: string): string[] {
  const origins = value
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  if (!origins.length || origins.includes("*")) return ["*"];
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.origin !== origin.replace(/\/$/, "")) {
      throw new UsageError(
        `--cors takes origins such as http://localhost:5173 (scheme, host and port, no path), got ${JSON.stringify(origin)}`,
      );
    }
  }
  return origins.map((o) => o.replace(/\/$/, ""));
}

/** Parses command-line arguments; throws a UsageError with a readable message on bad input. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions | "help" | "version" {
  let values;
  let tokens;
  try {
    ({ values, tokens } = parseArgv({
      args: withCorsDefault(argv),
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
      tokens: true,
    }));
  } catch (error) {
    throw usageError(error);
  }
  if (values.help) return "help";
  if (values.version) return "version";
  // An option given twice with different values: which one was meant?
  const given = new Map<string, string | undefined>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    if (given.has(token.name) && given.get(token.name) !== token.value) {
      throw new UsageError(
        `--${token.name} is given twice (${JSON.stringify(given.get(token.name))} and ${JSON.stringify(token.value)}); give it once`,
      );
    }
    given.set(token.name, token.value);
  }
  const port = values.port ?? env.PORT ?? "4010";
  if (!/^[0-9]{1,5}$/.test(port) || Number(port) > 65535) {
    throw new UsageError(
      `--port must be an integer from 0 to 65535${values.port === undefined ? ` (PORT is ${JSON.stringify(port)})` : `, got ${JSON.stringify(port)}`}`,
    );
  }
  const clockSpeed = Number(values["clock-speed"] ?? 1);
  if (values["clock-speed"]?.trim() === "" || !Number.isFinite(clockSpeed) || clockSpeed < 0) {
    throw new UsageError(`--clock-speed must be a number >= 0, got ${JSON.stringify(values["clock-speed"])}`);
  }
  if (values["admin-token"] === "") throw new UsageError("--admin-token must not be empty");
  if (values.host === "") throw new UsageError("--host must not be empty");
  const options: CliOptions = {
    port: Number(port),
    host: values.host ?? "127.0.0.1",
    clockSpeed,
    quiet: values.quiet ?? false,
    fsync: values.fsync ?? false,
  };
  if (values.seed !== undefined) options.seed = values.seed;
  if (values["admin-token"] !== undefined) options.adminToken = values["admin-token"];
  if (values.data !== undefined) options.data = values.data;
  if (values.docs !== undefined) options.docsDir = values.docs;
  if (values.cors !== undefined) options.cors = parseOrigins(values.cors);
  if (values["public-url"] !== undefined) options.publicUrl = values["public-url"];
  if (options.data !== undefined && !options.data.trim())
    throw new UsageError(
      "--data needs a file name (the server creates the file). Give --data FILE, or leave --data out to keep the world in memory",
    );
  if (options.publicUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(options.publicUrl))
    throw new UsageError(`--public-url must be an http(s) URL, got ${JSON.stringify(options.publicUrl)}`);
  if (options.fsync && !options.data)
    throw new UsageError(
      "--fsync needs --data FILE (it makes each write to the data file survive power loss). Add --data FILE, or drop --fsync",
    );
  return options;
}

/** The docs site built in this repository (`npm run docs`), when it is there. */
export function defaultDocsDir(): string | undefined {
  const dir = fileURLToPath(new URL("../../docs/dist/", import.meta.url));
  return existsSync(join(dir, "index.html")) ? dir : undefined;
}

export interface Running {
  app: CloudBackupServer;
  url: string;
  /** The --data file already held a world, which was resumed (a --seed then applies to new files only). */
  resumed: boolean;
  close(): Promise<void>;
}

/** A start-up failure, said in one line with what to do about it. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message}; ${hint}` : message);
  }
}

/** Reads and parses a `--seed` file; the server checks its content against the seed schema. */
export function readSeed(file: string): WorldSeed {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new StartupError(
        `--seed ${file}: no such file`,
        `give the path of a seed file (an example: examples/seed.json in @cloud-backup/reference-server)`,
      );
    if (code === "EISDIR") throw new StartupError(`--seed ${file}: is a directory, not a seed file`);
    throw new StartupError(`--seed ${file}: cannot read it (${code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as WorldSeed;
  } catch (error) {
    const message = (error as Error).message.replace(/ (in|after) JSON at position \d+.*$/s, "").replace(/, ".*" is not valid JSON$/s, "");
    const at = jsonErrorOffset(text);
    const before = text.slice(0, at);
    const where = ` at line ${before.split("\n").length}, column ${before.length - before.lastIndexOf("\n")}`;
    throw new StartupError(`--seed ${file}: not valid JSON${where} (${message})`);
  }
}

/**
 * Where JSON text first goes wrong (not every Node version says): the shortest prefix that
 * fails for another reason than ending early, found by bisection.
 */
function jsonErrorOffset(text: string): number {
  const fine = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      return /end of JSON input|Unterminated string/.test(message) || (position !== null && Number(position[1]) >= length);
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (fine(mid + 1)) low = mid + 1;
    else high = mid;
  }
  return Math.min(low, text.length);
}

/** Checks what can be checked before the server is created; throws StartupError. */
function checkFiles(options: CliOptions): void {
  if (options.docsDir !== undefined) {
    const dir = resolve(options.docsDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new StartupError(
        `--docs ${options.docsDir}: no such directory`,
        "build the docs site with `npm run docs` and give apps/docs/dist",
      );
    if (!existsSync(join(dir, "index.html")))
      throw new StartupError(
        `--docs ${options.docsDir}: has no index.html, so it is not a built docs site`,
        "build it with `npm run docs` and give apps/docs/dist",
      );
  }
}

/** The listen error, said for a newcomer. */
function listenError(error: NodeJS.ErrnoException, options: CliOptions): StartupError {
  const where = `${options.host}:${options.port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return new StartupError(
        `port ${options.port} on ${options.host} is already in use (another server is listening there)`,
        "stop the other server, pick another port with --port N, or use --port 0 for a free one",
      );
    case "EACCES":
      return new StartupError(
        `not allowed to listen on ${where} (ports below 1024 need extra privileges)`,
        "use a port above 1023, for example --port 4010, or --port 0 for a free one",
      );
    case "EADDRNOTAVAIL":
      return new StartupError(
        `--host ${options.host} is not an address of this machine`,
        "use 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of this machine's addresses",
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return new StartupError(
        `--host ${options.host} is not an address and does not resolve to one`,
        "use an IP address such as 127.0.0.1 or 0.0.0.0, or a host name of this machine such as localhost",
      );
    default:
      return new StartupError(`cannot listen on ${where}: ${error.message}`);
  }
}

/** Starts the server and resolves once it listens; rejects with a StartupError. */
export async function start(options: CliOptions, out: (line: string) => void = console.log): Promise<Running> {
  checkFiles(options);
  const seed = options.seed ? readSeed(options.seed) : "default";
  const resumed = options.data !== undefined && existsSync(options.data) && statSync(options.data).size > 0;
  let listenUrl = "";
  let app: CloudBackupServer;
  try {
    app = createServer({
      // On a loopback address, only loopback Host names (a page on another name reached by DNS rebinding is refused).
      allowedHosts: isLoopbackAddress(options.host) ? "loopback" : undefined,
      publicUrl: () => options.publicUrl ?? listenUrl,
      seed,
      clock: { speed: options.clockSpeed },
      adminToken: options.adminToken,
      data: options.data,
      docsDir: options.docsDir ?? defaultDocsDir(),
      fsync: options.fsync,
      cors: options.cors,
      log: options.quiet ? undefined : out,
    });
  } catch (error) {
    const e = error as Error & { pointer?: string };
    if (options.seed && e.name === "SeedError")
      throw new StartupError(
        `--seed ${options.seed}: ${e.message}`,
        "the seed format is described by seed.schema.json (@cloud-backup/server/seed.schema.json)",
      );
    throw error;
  }
  const log = options.quiet ? undefined : out;
  return new Promise((resolveRunning, reject) => {
    // Slow clients must not hold connections forever (timeouts checked every second). The rest
    // of a refused body is left to Node (read and dropped, within the request timeout) rather
    // than cut after 500 ms, so that a client still sending reads its refusal.
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host, serverOptions: httpServerOptions, autoCleanupIncoming: false },
      (info: AddressInfo) => {
        const host = options.host.includes(":") ? `[${options.host}]` : options.host;
        const url = `http://${host}:${info.port}`;
        listenUrl = url;
        answerTransportErrors(server as unknown as import("node:http").Server, log);
        resolveRunning({
          app,
          url,
          resumed,
          close: () =>
            new Promise<void>((done) => {
              app.close();
              server.close(() => done());
              (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            }),
        });
      },
    );
    server.once("error", (error: NodeJS.ErrnoException) => {
      app.close();
      reject(listenError(error, options));
    });
  });
}

/** What the banner reports besides the address. */
export interface BannerInfo {
  /** Started from the demo world (prints its account and a curl line). */
  seeded: boolean;
  docs?: boolean;
  data?: string;
  fsync?: boolean;
  /** The data file held a world that was resumed. */
  resumed?: boolean;
  /** A --seed was given (with `resumed`: it did not apply). */
  seedFile?: string;
  clockSpeed?: number;
  adminToken?: boolean;
  cors?: string[];
}

function clockLine(speed: number): string {
  if (speed === 0) return "frozen (only POST /__admin/clock/advance moves it)";
  if (speed === 1) return "real time (speed 1)";
  return `${speed} virtual seconds per real second`;
}

export function banner(url: string, info: BannerInfo | boolean, docs = false): string {
  const i: BannerInfo = typeof info === "boolean" ? { seeded: info, docs } : info;
  const lines = [`Cloud Backup reference server listening on ${url}`];
  if (i.seeded) {
    lines.push(
      `  Demo account: tenant ${DEMO.tenantId}, token ${DEMO.token} (admin), ${DEMO.creatorToken} (creator), ${DEMO.observerToken} (observer)`,
      `  Identity:     POST ${url}/v2.0/tokens with user ${DEMO.username}, API key ${DEMO.apiKey}`,
      `  Try:          curl -s -H 'X-Auth-Token: ${DEMO.token}' ${url}/v1.0/${DEMO.tenantId}/user/agents`,
    );
  }
  if (i.docs) lines.push(`  Docs:         ${url}/docs/`);
  lines.push(`  Spec:         ${url}/openapi.json`);
  const resumedNote = i.resumed
    ? `; resumed the world it holds${i.seedFile ? `, so --seed ${i.seedFile} was not applied (it seeds new files only)` : ""}`
    : "";
  lines.push(
    `  World:        ${i.data ? `${resolve(i.data)} (SQLite${i.fsync ? ", fsync on every write" : ""}, locked while this server runs${resumedNote})` : "in memory (lost on exit; --data FILE keeps it)"}`,
  );
  if (i.seedFile && !i.resumed) lines.push(`  Seed:         ${i.seedFile}`);
  if (i.clockSpeed !== undefined) lines.push(`  Clock:        ${clockLine(i.clockSpeed)}`);
  lines.push(
    `  Control API:  ${url}/__admin/health (clock: POST ${url}/__admin/clock/advance); ${i.adminToken ? "needs the X-Admin-Token header" : "no token needed, loopback callers only"}`,
  );
  if (i.cors) lines.push(`  CORS:         ${i.cors.includes("*") ? "any origin" : i.cors.join(", ")} (the control API excluded)`);
  return lines.join("\n");
}
