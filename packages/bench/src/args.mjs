// Command-line and environment options of the bench.

/**
 * @typedef {object} BenchOptions
 * @property {number} duration        seconds measured per cell
 * @property {number} warmup          seconds of warm-up load before each cell (not measured)
 * @property {number} connections     concurrent keep-alive connections per cell
 * @property {"auto" | "wrk" | "autocannon"} loader  load generator (auto: wrk when on PATH, else autocannon)
 * @property {boolean} prism          run Prism
 * @property {boolean} peers          run the peer mock servers (WireMock, Mockoon, json-server, Prism)
 * @property {number} rounds          interleaved rounds of the peer comparison (get agent details)
 * @property {string[] | undefined} targets  target ids to run (default: all)
 * @property {boolean} scaling        measure start-up, memory and history growth
 * @property {number} historyBudget   seconds allowed for building the 100,000-backup history before giving up
 * @property {number} startupRuns     spawns per start-up median
 * @property {string[] | undefined} only  scenario ids to run (default: all)
 * @property {string | undefined} out markdown file to write (default packages/bench/RESULTS.md; "-" writes none)
 * @property {boolean} strict         exit 1 when a target is missed
 * @property {boolean} help
 */

export const SCENARIOS = ["get-agent", "list-10", "list-1000", "list-10000", "create", "session", "fairness"];

/** Every target a run can measure, by id. */
export const TARGET_IDS = ["mem", "mem-frozen", "data", "data-frozen", "ceiling", "wiremock", "mockoon", "json-server", "prism"];

export const USAGE = `Usage: npm run bench [-- options]

Benchmarks the reference server (default and frozen clock, in memory and with --data), a bare
Hono ceiling and the peer mock servers (WireMock, Mockoon CLI, json-server, Prism) side by side,
a CI-like session replay and a fairness scenario, then start-up, memory and growth with history.

Options (environment variable in brackets):
  --duration S        seconds measured per cell (BENCH_DURATION, default 5)
  --warmup S          warm-up seconds before each cell (BENCH_WARMUP, default 1)
  --connections N     concurrent connections (BENCH_CONNECTIONS, default 50)
  --loader NAME       wrk | autocannon | auto (BENCH_LOADER, default auto: wrk when installed)
  --no-prism          skip Prism (BENCH_PRISM=0)
  --no-peers          skip every peer mock server (BENCH_PEERS=0)
  --rounds N          interleaved rounds of the get agent comparison (BENCH_ROUNDS, default 2)
  --targets a,b       targets to run (BENCH_TARGETS): ${TARGET_IDS.join(", ")}
  --no-scaling        skip start-up, memory and history figures (BENCH_SCALING=0)
  --history-budget S  seconds allowed to build 100,000 backups (BENCH_HISTORY_BUDGET, default 120)
  --startup-runs N    spawns per start-up median (default 5)
  --only a,b          scenarios to run (BENCH_ONLY): ${SCENARIOS.join(", ")}
  --out FILE          markdown report to write (BENCH_OUT; default packages/bench/RESULTS.md; - for none)
  --strict            exit 1 when a target is missed (BENCH_STRICT=1)

Through the root script, pass options as environment variables (turbo passes BENCH_* on):
  BENCH_DURATION=2 BENCH_ONLY=get-agent,create npm run bench
  -h, --help          show this help
`;

/** A comma-separated list of ids, checked against the known ones. */
function idList(raw, known, what, flag) {
  const list = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`unknown ${what} ${unknown.join(", ")} (known: ${known.join(", ")})`);
  if (!list.length) throw new Error(`${flag} needs at least one ${what}`);
  return list;
}
const onlyList = (raw) => idList(raw, SCENARIOS, "scenario", "--only");
const targetList = (raw) => idList(raw, TARGET_IDS, "target", "--targets");

/**
 * Parses bench options; throws an Error with a readable message on bad input.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} [env]
 * @returns {BenchOptions}
 */
export function parseArgs(argv, env = {}) {
  const number = (name, raw, min) => {
    const n = Number(raw);
    if (raw === undefined || raw === "" || !Number.isFinite(n) || n < min)
      throw new Error(`${name} must be a number >= ${min} (got ${raw})`);
    return n;
  };
  const flag = (raw, fallback) => (raw === undefined || raw === "" ? fallback : !/^(0|false|no|off)$/i.test(raw));
  /** @type {BenchOptions} */
  const options = {
    duration: env.BENCH_DURATION ? number("BENCH_DURATION", env.BENCH_DURATION, 1) : 5,
    warmup: env.BENCH_WARMUP ? number("BENCH_WARMUP", env.BENCH_WARMUP, 0) : 1,
    connections: env.BENCH_CONNECTIONS ? Math.round(number("BENCH_CONNECTIONS", env.BENCH_CONNECTIONS, 1)) : 50,
    loader: /** @type {any} */ (env.BENCH_LOADER || "auto"),
    prism: flag(env.BENCH_PRISM, true),
    peers: flag(env.BENCH_PEERS, true),
    rounds: env.BENCH_ROUNDS ? Math.round(number("BENCH_ROUNDS", env.BENCH_ROUNDS, 1)) : 2,
    targets: env.BENCH_TARGETS ? targetList(env.BENCH_TARGETS) : undefined,
    scaling: flag(env.BENCH_SCALING, true),
    historyBudget: env.BENCH_HISTORY_BUDGET ? number("BENCH_HISTORY_BUDGET", env.BENCH_HISTORY_BUDGET, 1) : 120,
    startupRuns: 5,
    only: env.BENCH_ONLY ? onlyList(env.BENCH_ONLY) : undefined,
    out: env.BENCH_OUT || undefined,
    strict: flag(env.BENCH_STRICT, false),
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "-h":
      case "--help":
        options.help = true;
        break;
      case "--duration":
        options.duration = number("--duration", value(), 1);
        break;
      case "--warmup":
        options.warmup = number("--warmup", value(), 0);
        break;
      case "--connections":
        options.connections = Math.round(number("--connections", value(), 1));
        break;
      case "--loader":
        options.loader = /** @type {any} */ (value());
        break;
      case "--no-prism":
        options.prism = false;
        break;
      case "--no-peers":
        options.peers = false;
        break;
      case "--rounds":
        options.rounds = Math.round(number("--rounds", value(), 1));
        break;
      case "--targets":
        options.targets = targetList(value());
        break;
      case "--no-scaling":
        options.scaling = false;
        break;
      case "--history-budget":
        options.historyBudget = number("--history-budget", value(), 1);
        break;
      case "--startup-runs":
        options.startupRuns = Math.round(number("--startup-runs", value(), 1));
        break;
      case "--only":
        options.only = onlyList(value());
        break;
      case "--out":
        options.out = value();
        break;
      case "--strict":
        options.strict = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (!["auto", "wrk", "autocannon"].includes(options.loader))
    throw new Error(`--loader must be wrk, autocannon or auto (got ${options.loader})`);
  return options;
}
