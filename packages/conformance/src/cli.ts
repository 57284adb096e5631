#!/usr/bin/env node
/** `cloud-backup-conformance`: runs the kit and prints (and writes) the report. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs, USAGE, UsageError } from "./args.js";
import { formatTable, toJson, toJUnit } from "./report.js";
import { runConformance } from "./runner.js";
import { specVersion } from "@cloud-backup/spec";

/** The package's version, from its package.json (next to dist/). */
const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`cloud-backup-conformance: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options === "version") {
    process.stdout.write(`cloud-backup-conformance ${VERSION} (Cloud Backup API description ${specVersion})\n`);
    return 0;
  }
  const tty = Boolean(process.stdout.isTTY);
  const columns = process.stdout.columns ?? 100;
  let failures = 0;
  const report = await runConformance({
    baseUrl: options.baseUrl,
    token: options.token,
    tenant: options.tenant,
    adminUrl: options.adminUrl,
    adminToken: options.adminToken,
    only: options.only,
    include: options.include,
    seed: options.seed,
    runs: options.runs,
    waitTimeoutSeconds: options.timeoutSeconds,
    arazzoDir: options.arazzoDir,
    redocly: options.redocly,
    onProgress: tty
      ? (event) => {
          if (event.type === "check-end") {
            if (event.result.status === "failed") failures++;
            return;
          }
          const line = `[${event.index}/${event.total}]${failures ? ` ${failures} failed,` : ""} ${event.capability} › ${event.name}`;
          process.stdout.write(`\r\u001b[2K${line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line}`);
        }
      : undefined,
  });
  if (tty) process.stdout.write("\r\u001b[2K");
  process.stdout.write(`${formatTable(report, { color: tty && !process.env.NO_COLOR })}\n`);
  if (!options.seed && report.robustness)
    process.stdout.write(`(robustness seed ${report.seed}; pass --seed ${report.seed} to repeat it)\n`);
  if (options.reportJson) write(options.reportJson, toJson(report));
  if (options.reportJunit) write(options.reportJunit, toJUnit(report));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`cloud-backup-conformance: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
