// The harness's own argument parsing (no timing is asserted anywhere: the bench is not a test).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseArgs, SCENARIOS, TARGET_IDS } from "../src/args.mjs";
import { parseWrk, wrkScript } from "../src/load.mjs";
import { aggregate } from "../src/cpuprofile.mjs";

test("defaults: 5 s cells after 1 s warm-up at 50 connections, every scenario, peers, two rounds and scaling on", () => {
  const o = parseArgs([], {});
  assert.equal(o.peers, true);
  assert.equal(o.rounds, 2);
  assert.equal(o.targets, undefined);
  assert.equal(o.duration, 5);
  assert.equal(o.warmup, 1);
  assert.equal(o.connections, 50);
  assert.equal(o.only, undefined);
  assert.equal(o.prism, true);
  assert.equal(o.scaling, true);
  assert.equal(o.loader, "auto");
});

test("environment variables set options, flags override them", () => {
  const o = parseArgs(["--duration", "3", "--no-prism"], {
    BENCH_DURATION: "9",
    BENCH_CONNECTIONS: "10",
    BENCH_ONLY: "get-agent,create",
    BENCH_SCALING: "0",
  });
  assert.equal(o.duration, 3);
  assert.equal(o.connections, 10);
  assert.deepEqual(o.only, ["get-agent", "create"]);
  assert.equal(o.prism, false);
  assert.equal(o.scaling, false);
});

test("bad input is refused with a readable message", () => {
  assert.throws(() => parseArgs(["--duration", "0"], {}), /--duration must be a number >= 1/);
  assert.throws(() => parseArgs(["--only", "nope"], {}), /unknown scenario nope/);
  assert.throws(() => parseArgs(["--loader", "ab"], {}), /--loader must be/);
  assert.throws(() => parseArgs(["--what"], {}), /unknown option --what/);
  assert.throws(() => parseArgs(["--out"], {}), /--out needs a value/);
});

test("targets, rounds and peers can be chosen by flag or environment", () => {
  const o = parseArgs(["--targets", "mem,json-server", "--rounds", "3", "--no-peers"], {});
  assert.deepEqual(o.targets, ["mem", "json-server"]);
  assert.equal(o.rounds, 3);
  assert.equal(o.peers, false);
  const e = parseArgs([], { BENCH_TARGETS: "ceiling", BENCH_ROUNDS: "1", BENCH_PEERS: "0" });
  assert.deepEqual(e.targets, ["ceiling"]);
  assert.equal(e.rounds, 1);
  assert.equal(e.peers, false);
  assert.throws(() => parseArgs(["--targets", "mem,nginx"], {}), /unknown target nginx/);
  assert.throws(() => parseArgs(["--rounds", "0"], {}), /--rounds must be a number >= 1/);
  assert.deepEqual(parseArgs(["--targets", TARGET_IDS.join(",")], {}).targets, TARGET_IDS);
});

test("every scenario id is accepted by --only", () => {
  assert.deepEqual(parseArgs(["--only", SCENARIOS.join(",")], {}).only, SCENARIOS);
});

test("wrk's report is read in milliseconds", () => {
  const r = parseWrk(`Running 5s test @ http://127.0.0.1:1
  1 threads and 50 connections
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    2.00ms
     99%    1.50s
  1000 requests in 5.00s, 1.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:    200.00
Transfer/sec:    204.80KB
`);
  assert.deepEqual(r, { rps: 200, p50: 0.812, p99: 1500, requests: 1000, errorStatus: 7, socketErrors: 3, seconds: 5 });
});

test("the wrk script quotes bodies that contain Lua's closing brackets", () => {
  const lua = wrkScript({ entries: [{ method: "POST", path: "/x", headers: { "X-A": "b" }, body: '{"a":["]]"]}', unique: true }] }, "p");
  assert.match(lua, /\[ \[\[X-A\]\] \] = \[\[b\]\]/);
  assert.match(lua, /body = \[=\[\{"a":\["\]\]"\]\}\]=\]/);
});

test("self time is aggregated per function from samples and time deltas", () => {
  const frame = (functionName, url) => ({ functionName, url, lineNumber: 0, columnNumber: 0 });
  const { rows, totalMs } = aggregate({
    nodes: [
      { id: 1, callFrame: frame("(root)", "") },
      { id: 2, callFrame: frame("hot", "file:///r/packages/server/dist/a.js") },
      { id: 3, callFrame: frame("cold", "file:///r/node_modules/hono/dist/b.js") },
    ],
    startTime: 0,
    endTime: 4000,
    samples: [2, 2, 3, 2],
    timeDeltas: [0, 1000, 1000, 1000],
  });
  assert.equal(totalMs, 4);
  assert.equal(rows[0].key, "hot packages/server/dist/a.js:1");
  assert.equal(rows[0].selfMs, 3);
  assert.equal(rows[1].key, "cold hono/dist/b.js:1");
});
