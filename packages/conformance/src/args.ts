/** Command-line arguments of `cloud-backup-conformance`. */
import { parseArgs as parseArgv } from "node:util";
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS, type Capability, isCapability, OPTIONAL_CAPABILITIES } from "./capabilities.js";

export interface CliOptions {
  baseUrl: string;
  token: string;
  tenant: string;
  adminUrl?: string;
  adminToken?: string;
  only: Capability[];
  include: Capability[];
  reportJson?: string;
  reportJunit?: string;
  seed?: number;
  runs?: number;
  timeoutSeconds?: number;
  arazzoDir?: string;
  redocly?: string;
}

export const USAGE = `Usage: cloud-backup-conformance --base-url URL --token TOKEN --tenant ID [options]

Checks an implementation of the Cloud Backup API v1.0 against its description: shape,
behaviour, robustness (property-based) and the Arazzo journeys.

Required:
  --base-url URL          the API's base URL (http://127.0.0.1:4010)
  --token TOKEN           an X-Auth-Token for the tenant (role cloudBackup:admin)
  --tenant ID             the tenant (account) id the token belongs to

Options:
  --admin-url URL         a control API like the reference server's (/__admin): fresh tenants
                          for mutating checks, and the virtual clock instead of waiting
  --admin-token T         X-Admin-Token for the control API
  --only CAPABILITY...    run only these capabilities (repeatable, or several after one --only)
  --include CAPABILITY... also run these optional capabilities (internal)
  --report-json FILE      write the full report as JSON
  --report-junit FILE     write a JUnit XML report (one testsuite per capability)
  --seed N                seed of the property-based robustness checks (printed when omitted)
  --runs N                generated requests per robustness property (default 50)
  --timeout SECONDS       longest wait for a backup or restore without --admin-url (default 900)
  --arazzo-dir DIR        where the Arazzo workflows are (default: openapi/arazzo above here)
  --redocly PATH          the redocly CLI (default: node_modules/.bin/redocly above here)
  -v, --version           print the version
  -h, --help              show this help

Capabilities:
${CAPABILITIES.map((c) => `  ${c.padEnd(22)}  ${CAPABILITY_DESCRIPTIONS[c]}`).join("\n")}

Exit status: 0 when every selected check passes (skips allowed), 1 when a check fails,
2 on bad arguments.
`;

export class UsageError extends Error {}

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${flag} must be an integer, got ${JSON.stringify(value)}`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be from ${min} to ${max}`);
  return n;
}

function url(flag: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    return value;
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
}

const OPTIONS = {
  "base-url": { type: "string" },
  "admin-url": { type: "string" },
  "admin-token": { type: "string" },
  token: { type: "string" },
  tenant: { type: "string" },
  only: { type: "string", multiple: true },
  include: { type: "string", multiple: true },
  "report-json": { type: "string" },
  "report-junit": { type: "string" },
  seed: { type: "string" },
  runs: { type: "string" },
  timeout: { type: "string" },
  "arazzo-dir": { type: "string" },
  redocly: { type: "string" },
  version: { type: "boolean", short: "v" },
  help: { type: "boolean", short: "h" },
} as const;

/** node:util's messages, said the way the rest of this CLI says them. */
function usageError(error: unknown, argv: string[]): UsageError {
  const e = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
    return new UsageError(`unknown argument ${JSON.stringify(argv.find((a) => a === option || a.startsWith(`${option}=`)) ?? option)}`);
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return new UsageError(`${option} needs a value`);
  return new UsageError(e.message);
}

/** Parses arguments (with node:util's parseArgs); throws UsageError on bad input; answers "help" for -h/--help. */
export function parseArgs(argv: string[]): CliOptions | "help" | "version" {
  let parsed;
  try {
    parsed = parseArgv({ args: argv, options: OPTIONS, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    throw usageError(error, argv);
  }
  const { values, tokens } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  // `--only a b c` and `--include a b`: the words after the option (given without =) are more capabilities.
  const names: Record<"only" | "include", string[]> = { only: [], include: [] };
  let after: "only" | "include" | undefined;
  for (const token of tokens) {
    if (token.kind === "option") {
      if (token.name === "only" || token.name === "include") {
        names[token.name].push(token.value!);
        after = token.inlineValue ? undefined : token.name;
      } else after = undefined;
    } else if (token.kind === "positional") {
      if (!after) throw new UsageError(`unknown argument ${JSON.stringify(token.value)}`);
      names[after].push(token.value);
    } else after = undefined;
  }
  const options: Partial<CliOptions> & { only: Capability[]; include: Capability[] } = { only: [], include: [] };
  for (const which of ["only", "include"] as const) {
    if (values[which] && !names[which].filter((n) => !n.startsWith("-")).length)
      throw new UsageError(`--${which} needs at least one capability`);
    for (const name of names[which]
      .flatMap((n) => n.split(","))
      .map((n) => n.trim())
      .filter(Boolean)) {
      if (!isCapability(name)) throw new UsageError(`unknown capability ${JSON.stringify(name)}; known: ${CAPABILITIES.join(", ")}`);
      if (which === "include" && !OPTIONAL_CAPABILITIES.has(name)) {
        throw new UsageError(`${name} always runs; --include takes only optional capabilities (${[...OPTIONAL_CAPABILITIES].join(", ")})`);
      }
      if (!options[which].includes(name)) options[which].push(name);
    }
  }
  if (values["base-url"] !== undefined) options.baseUrl = url("--base-url", values["base-url"]);
  if (values["admin-url"] !== undefined) options.adminUrl = url("--admin-url", values["admin-url"]);
  if (values["admin-token"] !== undefined) options.adminToken = values["admin-token"];
  if (values.token !== undefined) options.token = values.token;
  if (values.tenant !== undefined) options.tenant = values.tenant;
  if (values["report-json"] !== undefined) options.reportJson = values["report-json"];
  if (values["report-junit"] !== undefined) options.reportJunit = values["report-junit"];
  if (values.seed !== undefined) options.seed = integer("--seed", values.seed, -(2 ** 31), 2 ** 31 - 1);
  if (values.runs !== undefined) options.runs = integer("--runs", values.runs, 1, 100_000);
  if (values.timeout !== undefined) options.timeoutSeconds = integer("--timeout", values.timeout, 1, 86_400);
  if (values["arazzo-dir"] !== undefined) options.arazzoDir = values["arazzo-dir"];
  if (values.redocly !== undefined) options.redocly = values.redocly;
  const missing = (["baseUrl", "token", "tenant"] as const).filter((k) => !options[k]);
  if (missing.length) {
    throw new UsageError(`missing ${missing.map((k) => `--${k === "baseUrl" ? "base-url" : k}`).join(", ")}`);
  }
  return options as CliOptions;
}
