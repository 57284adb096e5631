// Preloaded into a profiled server (`node --import`): records the event loop's delay while the
// process runs and, on exit, writes its percentiles (ms) as JSON to $BENCH_EVENT_LOOP_FILE.
// The profile's fairness scenario reads it: the server's own longest stall, next to the small
// GET's latency as the load generator saw it.
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_EVENT_LOOP_FILE;
const histogram = monitorEventLoopDelay({ resolution: 1 });
/** Only the loads count: the profile resets the histogram when the measured load starts (SIGUSR2). */
histogram.enable();
process.on("SIGUSR2", () => histogram.reset());
process.on("exit", () => {
  if (!file) return;
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  writeFileSync(
    file,
    JSON.stringify({
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      count: histogram.count,
    }),
  );
});
