/** Command-line arguments of `cloud-backup-conformance`. */
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

/** Parses arguments; throws UsageError on bad input; answers "help" for -h/--help. */
export function parseArgs(argv: string[]): CliOptions | "help" {
  const options: Partial<CliOptions> & { only: Capability[]; include: Capability[] } = { only: [], include: [] };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [arg, inline] = raw.startsWith("--") && raw.includes("=") ? [raw.slice(0, raw.indexOf("=")), raw.slice(raw.indexOf("=") + 1)] : [raw, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "-h":
      case "--help":
        return "help";
      case "--base-url":
        options.baseUrl = url(arg, value());
        break;
      case "--admin-url":
        options.adminUrl = url(arg, value());
        break;
      case "--admin-token":
        options.adminToken = value();
        break;
      case "--token":
        options.token = value();
        break;
      case "--tenant":
        options.tenant = value();
        break;
      case "--only":
      case "--include": {
        const names: string[] = inline !== undefined ? [inline] : [];
        if (inline === undefined) {
          while (i + 1 < argv.length && !argv[i + 1]!.startsWith("-")) names.push(argv[++i]!);
        }
        if (!names.length) throw new UsageError(`${arg} needs at least one capability`);
        const target = arg === "--only" ? options.only : options.include;
        for (const name of names.flatMap((n) => n.split(",")).map((n) => n.trim()).filter(Boolean)) {
          if (!isCapability(name)) throw new UsageError(`unknown capability ${JSON.stringify(name)}; known: ${CAPABILITIES.join(", ")}`);
          if (arg === "--include" && !OPTIONAL_CAPABILITIES.has(name)) throw new UsageError(`${name} always runs; --include takes only optional capabilities (${[...OPTIONAL_CAPABILITIES].join(", ")})`);
          if (!target.includes(name)) target.push(name);
        }
        break;
      }
      case "--report-json":
        options.reportJson = value();
        break;
      case "--report-junit":
        options.reportJunit = value();
        break;
      case "--seed":
        options.seed = integer(arg, value(), -(2 ** 31), 2 ** 31 - 1);
        break;
      case "--runs":
        options.runs = integer(arg, value(), 1, 100_000);
        break;
      case "--timeout":
        options.timeoutSeconds = integer(arg, value(), 1, 86_400);
        break;
      case "--arazzo-dir":
        options.arazzoDir = value();
        break;
      case "--redocly":
        options.redocly = value();
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(raw)}`);
    }
  }
  const missing = (["baseUrl", "token", "tenant"] as const).filter((k) => !options[k]);
  if (missing.length) {
    throw new UsageError(`missing ${missing.map((k) => `--${k === "baseUrl" ? "base-url" : k}`).join(", ")}`);
  }
  return options as CliOptions;
}
