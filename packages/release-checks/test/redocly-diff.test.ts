/**
 * `redocly diff` (experimental in Redocly CLI 2.x) as a second opinion on the breaking-change
 * gate: on every fixture pair, it must agree with the gate on whether the change needs a major
 * version, except where the gate is deliberately stricter (listed below with the reason).
 *
 * It does not replace the gate: it is experimental, needs a process per comparison, and rates
 * one of the gate's breaking fixtures as a patch.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compareDescriptions } from "../../../scripts/lib/openapi-breaking.mjs";

const run = promisify(execFile);
const FIXTURES = resolve(import.meta.dirname, "fixtures");
const CONFIG = join(FIXTURES, "redocly-diff.yaml");
const redocly = resolve(import.meta.dirname, "../../../node_modules/.bin/redocly");
const out = mkdtempSync(join(tmpdir(), "redocly-diff-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Where the gate is stricter than `redocly diff`, and why. */
const STRICTER: Record<string, string> = {
  "breaking/enum-narrowed-response.yaml":
    "a response enum that loses a value: redocly rates it a patch; the gate calls it breaking because the toolkit's types are generated from the description, so code naming the removed value stops compiling",
};

async function redoclyBump(file: string): Promise<{ major: number; minor: number; patch: number }> {
  const report = join(out, `${file.replaceAll("/", "_")}.json`);
  // Exit code 1 means "major changes found", which is an answer, not a failure.
  await run(redocly, ["diff", join(FIXTURES, "base.yaml"), join(FIXTURES, file), "--config", CONFIG, "--format", "json", "-o", report], {
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  }).catch((error: { code?: number }) => {
    if (error.code !== 1) throw error;
  });
  return JSON.parse(readFileSync(report, "utf8")).summary;
}

const pairs = ["breaking", "compatible"].flatMap((dir) => readdirSync(join(FIXTURES, dir)).map((name) => `${dir}/${name}`));
const base = parse(readFileSync(join(FIXTURES, "base.yaml"), "utf8"));

describe("redocly diff as a second opinion on the gate", () => {
  it.concurrent.each(pairs)(
    "agrees on %s",
    async (file) => {
      const gate = compareDescriptions(base, parse(readFileSync(join(FIXTURES, file), "utf8")));
      const summary = await redoclyBump(file);
      const gateBreaks = gate.breaking.length > 0;
      expect(gateBreaks, `the gate on ${file}`).toBe(file.startsWith("breaking/"));
      if (STRICTER[file]) expect(summary.major, STRICTER[file]).toBe(0);
      else expect(summary.major > 0, `redocly diff on ${file}: ${JSON.stringify(summary)}`).toBe(gateBreaks);
    },
    60_000,
  );
});
