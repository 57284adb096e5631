// Aggregates a V8 .cpuprofile (written by `node --cpu-prof`) by self time per function.
//
// Usage: node src/cpuprofile.mjs FILE.cpuprofile [--top N] [--by function|url]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number },
 *   hitCount?: number, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples?: number[], timeDeltas?: number[] }} CpuProfile
 * @typedef {{ key: string, functionName: string, url: string, line: number, selfMs: number, share: number }} Row
 */

/** Shortens a script URL to something readable (package/path or repo-relative path). */
export function shortUrl(url) {
  if (!url) return "(native)";
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) return path.slice(nm + "/node_modules/".length);
  const repo = path.indexOf("/packages/");
  const apps = path.indexOf("/apps/");
  const cut = repo >= 0 ? repo + 1 : apps >= 0 ? apps + 1 : -1;
  return cut >= 0 ? path.slice(cut) : path;
}

/**
 * Self time per function (or per script when `by` is "url"), largest first.
 * Self time of a node = its sample count times the mean sampling interval; when the profile
 * carries `samples`/`timeDeltas` the exact deltas are summed instead.
 * @param {CpuProfile} profile
 * @param {"function" | "url"} [by]
 * @returns {{ rows: Row[], totalMs: number }}
 */
export function aggregate(profile, by = "function") {
  /** @type {Map<number, number>} */
  const selfUs = new Map();
  if (profile.samples && profile.timeDeltas && profile.samples.length === profile.timeDeltas.length) {
    // timeDeltas[i] is the time from sample i-1 to sample i; sample i lasts until the next one
    // (the last until the profile's end), as DevTools counts it.
    let at = profile.startTime;
    const times = profile.timeDeltas.map((d) => (at += d));
    for (let i = 0; i < profile.samples.length; i++) {
      const id = profile.samples[i];
      const delta = (times[i + 1] ?? Math.max(profile.endTime, times[i])) - times[i];
      selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
    }
  } else {
    const hits = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
    const interval = (profile.endTime - profile.startTime) / hits;
    for (const node of profile.nodes) selfUs.set(node.id, (node.hitCount ?? 0) * interval);
  }
  /** @type {Map<string, Row>} */
  const rows = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    total += us;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || "(anonymous)";
    const file = shortUrl(url);
    const key = by === "url" ? file : `${name} ${file}:${lineNumber + 1}`;
    const row = rows.get(key) ?? { key, functionName: by === "url" ? "" : name, url: file, line: lineNumber + 1, selfMs: 0, share: 0 };
    row.selfMs += us / 1000;
    rows.set(key, row);
  }
  const totalMs = total / 1000;
  const sorted = [...rows.values()].sort((a, b) => b.selfMs - a.selfMs);
  for (const row of sorted) row.share = totalMs ? row.selfMs / totalMs : 0;
  return { rows: sorted, totalMs };
}

/**
 * A markdown table of the top rows.
 * @param {Row[]} rows
 * @param {number} top
 * @param {string} [title]
 */
export function toMarkdown(rows, top, title = "function") {
  const lines = [`| self % | self ms | ${title} |`, "| ---: | ---: | --- |"];
  for (const row of rows.slice(0, top)) lines.push(`| ${(row.share * 100).toFixed(1)} | ${row.selfMs.toFixed(0)} | \`${row.key}\` |`);
  return lines.join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
  if (!file) {
    console.error("usage: node src/cpuprofile.mjs FILE.cpuprofile [--top N] [--by function|url]");
    process.exit(2);
  }
  const top = Number(args[args.indexOf("--top") + 1]) || 25;
  const by = args.includes("--by") ? /** @type {"function"|"url"} */ (args[args.indexOf("--by") + 1]) : "function";
  const { rows, totalMs } = aggregate(JSON.parse(readFileSync(file, "utf8")), by);
  console.log(`${file}: ${totalMs.toFixed(0)} ms sampled\n`);
  console.log(toMarkdown(rows, top, by));
}
