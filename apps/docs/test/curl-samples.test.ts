/** Every curl sample of the reference, run for real with bash and curl against a reference server. */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, docsRoot, ensureDir, startServer } from "./helpers.js";
import { expectSampleSucceeds, operations, run, sampleOf, substitute, type SampleServer } from "./samples.js";

let server: SampleServer;
let executed = 0;

beforeAll(async () => {
  // Ten virtual seconds per real second: a woken agent is online in 1.5 s instead of 15.
  server = await startServer({ clock: { speed: 10 } });
});
afterAll(async () => {
  await server?.close();
  console.log(`docs: executed ${executed} curl samples against the reference server`);
});

describe("code samples in the reference", () => {
  it("cover all 33 operations, in curl and TypeScript, referenced from openapi/code-samples/", async () => {
    expect(operations).toHaveLength(33);
    for (const op of operations) {
      expect(
        op.samples.map((s) => s.label),
        op.operationId,
      ).toEqual(["curl", "TypeScript"]);
    }
    const check = await run(process.execPath, [join(docsRoot, "scripts/samples.mjs"), "--check"], docsRoot);
    expect(check.code, check.output).toBe(0);
  });
});

describe("curl samples", () => {
  for (const { operationId } of operations) {
    it(`${operationId}: runs against the reference server`, async () => {
      const script = substitute(server, sampleOf(operationId, "curl"));
      const cwd = ensureDir(join(artifactsDir, "samples", "curl", operationId));
      await expectSampleSucceeds(server, operationId, () => run("bash", ["-euo", "pipefail", "-c", script], cwd));
      executed++;
    });
  }
});
