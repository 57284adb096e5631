/** The capabilities the kit checks, in the order it runs them. */
export const CAPABILITIES = [
  "auth",
  "agents",
  "backup-configurations",
  "backups",
  "restores",
  "activity",
  "encryption",
  "errors",
  "robustness",
  "workflows",
  "internal",
] as const;

/** Capabilities run only when asked for (`--include` or `--only`): the internal endpoints are outside the published reference. */
export const OPTIONAL_CAPABILITIES: ReadonlySet<string> = new Set(["internal"]);

export type Capability = (typeof CAPABILITIES)[number];

/** One line per capability, for `--help` and the docs. */
export const CAPABILITY_DESCRIPTIONS: Record<Capability, string> = {
  auth: "authentication (missing and unknown tokens) and tenancy (one tenant never sees another's data)",
  agents: "listing, reading, waking, enabling, updating agents; rejected updates change nothing",
  "backup-configurations": "create, read back, list, update, enable/disable, delete, and validation that changes nothing",
  backups: "start (with wake-up and 403 retry), documented states to a terminal state, stop, reports, completed, available for restore",
  restores: "create, files, update rules while Creating, start, states to a terminal state, reports",
  activity: "account and agent activity list what ran, newest first, and only the agent's own work",
  encryption: "enable with a passphrase encrypted by the agent's key, one-way, change, restore of an encrypted backup",
  errors: "unknown ids, malformed ids and bodies answer documented 4xx problem bodies",
  robustness: "property-based requests from the schemas (fast-check, seeded): valid never 5xx, invalid a documented 4xx",
  workflows: "the Arazzo journeys in openapi/arazzo, run with Redocly Respect",
  internal:
    "(only with --include internal) the internal endpoints of openapi/internal.yaml: log level, configuration, busy, log files, events, cleanup reports",
};

export function isCapability(value: string): value is Capability {
  return (CAPABILITIES as readonly string[]).includes(value);
}
