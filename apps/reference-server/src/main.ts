import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createServer, DEMO, type CloudBackupServer, type WorldSeed } from "@cloud-backup/server/node";

export interface CliOptions {
  port: number;
  host: string;
  seed?: string;
  clockSpeed: number;
  adminToken?: string;
  data?: string;
  fsync: boolean;
  docsDir?: string;
  quiet: boolean;
}

export const USAGE = `Usage: cloud-backup-server [options]

Runs the Cloud Backup API v1.0 reference server.

Options:
  --port N           port to listen on (default: $PORT or 4010; 0 picks a free port)
  --host HOST        address to bind (default: 127.0.0.1)
  --seed FILE        start from a custom world (JSON) instead of the demo world
  --clock-speed N    virtual seconds per real second (default: 1; 0 freezes the clock)
  --admin-token T    require X-Admin-Token on the control API (needed to reach it from other hosts)
  --data FILE        keep the world in this SQLite file (survives restarts; default: in memory)
  --fsync            with --data, fsync every write (survives power loss; slower)
  --docs DIR         serve a built docs site at /docs (default: apps/docs/dist when built)
  --quiet            do not log requests
  -h, --help         show this help
`;

/** Parses command-line arguments; throws an Error with a readable message on bad input. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions | "help" {
  const options: CliOptions = { port: Number(env.PORT ?? 4010), host: "127.0.0.1", clockSpeed: 1, quiet: false, fsync: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "-h":
      case "--help":
        return "help";
      case "--port":
        options.port = Number(value());
        break;
      case "--host":
        options.host = value();
        break;
      case "--seed":
        options.seed = value();
        break;
      case "--clock-speed":
        options.clockSpeed = Number(value());
        break;
      case "--admin-token":
        options.adminToken = value();
        break;
      case "--data":
        options.data = value();
        break;
      case "--fsync":
        options.fsync = true;
        break;
      case "--docs":
        options.docsDir = value();
        break;
      case "--quiet":
        options.quiet = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error("--port must be an integer from 0 to 65535");
  if (!Number.isFinite(options.clockSpeed) || options.clockSpeed < 0) throw new Error("--clock-speed must be a number >= 0");
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
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens. */
export async function start(options: CliOptions, out: (line: string) => void = console.log): Promise<Running> {
  const seed = options.seed ? (JSON.parse(readFileSync(options.seed, "utf8")) as WorldSeed) : "default";
  const app = createServer({
    seed,
    clock: { speed: options.clockSpeed },
    adminToken: options.adminToken,
    data: options.data,
    docsDir: options.docsDir ?? defaultDocsDir(),
    fsync: options.fsync,
    log: options.quiet ? undefined : out,
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      // Slow clients must not hold connections forever.
      const http = server as unknown as { headersTimeout: number; requestTimeout: number; keepAliveTimeout: number };
      http.headersTimeout = 10_000;
      http.requestTimeout = 30_000;
      http.keepAliveTimeout = 5_000;
      const host = options.host.includes(":") ? `[${options.host}]` : options.host;
      const url = `http://${host}:${info.port}`;
      resolve({
        app,
        url,
        close: () =>
          new Promise<void>((done) => {
            app.close();
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
  });
}

export function banner(url: string, seeded: boolean, docs = false): string {
  const lines = [`Cloud Backup reference server listening on ${url}`];
  if (seeded) {
    lines.push(
      `  Demo account: tenant ${DEMO.tenantId}, token ${DEMO.token} (admin), ${DEMO.creatorToken} (creator), ${DEMO.observerToken} (observer)`,
      `  Identity:     POST ${url}/v2.0/tokens with user ${DEMO.username}, API key ${DEMO.apiKey}`,
      `  Try:          curl -s -H 'X-Auth-Token: ${DEMO.token}' ${url}/v1.0/${DEMO.tenantId}/user/agents`,
    );
  }
  if (docs) lines.push(`  Docs:         ${url}/docs/`);
  lines.push(`  Spec:         ${url}/openapi.json`, `  Control API:  ${url}/__admin/health (clock: POST ${url}/__admin/clock/advance)`);
  return lines.join("\n");
}
