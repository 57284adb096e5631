/**
 * Shared by curl-samples.test.ts and ts-samples.test.ts, which run every code sample of the API
 * reference (the `x-codeSamples` of the bundled description, where `redocly bundle` put the text
 * of the files in `openapi/code-samples/` that the path files reference)
 * against a real reference server on a free port: curl samples through bash, TypeScript samples
 * type-checked, compiled and then executed. A sample passes when it exits 0, every API call it
 * made succeeded, and it called its own operation.
 */
import { spawn } from "node:child_process";
import { DEMO } from "@cloud-backup/server";
import { expect } from "vitest";
import { apiOperations, type startServer } from "./helpers.js";

/** What the samples are written against: the reference server's demo world on its default port. */
const PLACEHOLDER = { baseUrl: "http://127.0.0.1:4010", tenant: "1234", token: "demo-token" };

export const operations = apiOperations();
export type SampleServer = Awaited<ReturnType<typeof startServer>>;

/** Points a sample at the test's server (and the demo account it starts with). */
export function substitute(server: SampleServer, source: string): string {
  return source
    .replaceAll(PLACEHOLDER.baseUrl, server.url)
    .replaceAll(`/v1.0/${PLACEHOLDER.tenant}`, `/v1.0/${DEMO.tenantId}`)
    .replaceAll(`tenantId: "${PLACEHOLDER.tenant}"`, `tenantId: "${DEMO.tenantId}"`)
    .replaceAll(PLACEHOLDER.token, DEMO.token);
}

export function sampleOf(operationId: string, label: string): string {
  const op = operations.find((o) => o.operationId === operationId)!;
  const sample = op.samples.find((s) => s.label === label);
  if (!sample) throw new Error(`${operationId} has no ${label} sample`);
  return sample.source;
}

export function run(command: string, args: string[], cwd: string, timeoutMs = 45_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Resets the world, runs a sample, and checks what it did on the server. */
export async function expectSampleSucceeds(
  server: SampleServer,
  operationId: string,
  execute: () => Promise<{ code: number | null; output: string }>,
): Promise<void> {
  server.app.reset();
  server.calls.length = 0;
  const { code, output } = await execute();
  const calls = server.calls.filter((c) => !c.path.startsWith("/__admin"));
  const transcript = `output:\n${output}\ncalls:\n${calls.map((c) => `  ${c.method} ${c.path} ${c.operationId} ${c.status}`).join("\n")}`;
  expect(code, transcript).toBe(0);
  expect(
    calls.filter((c) => c.status >= 400),
    transcript,
  ).toEqual([]);
  expect(
    calls.some((c) => c.operationId === operationId && c.status < 300),
    `the sample never called ${operationId} successfully\n${transcript}`,
  ).toBe(true);
}
