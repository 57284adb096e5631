/**
 * The code samples live as files in `openapi/code-samples/` and the path files reference them:
 * a sample copied into `openapi/paths/*.yaml` as text would drift from the file the docs tests
 * run, so it fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { document } from "../src/index.js";

const openapiDir = fileURLToPath(new URL("../../../openapi/", import.meta.url));
const pathsDir = join(openapiDir, "paths");
const samplesDir = join(openapiDir, "code-samples");
const METHODS = ["get", "put", "post", "delete", "patch"] as const;
const KINDS = [
  { lang: "Shell", label: "curl", ext: "sh" },
  { lang: "TypeScript", label: "TypeScript", ext: "ts" },
];

/** Every operation of the path files, with its `x-codeSamples` as written there. */
function pathOperations(): { file: string; method: string; operationId: string; samples: unknown }[] {
  const ops = [];
  for (const file of readdirSync(pathsDir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const item = parse(readFileSync(join(pathsDir, file), "utf8")) ?? {};
    for (const method of METHODS) {
      const op = item[method];
      if (op) ops.push({ file, method, operationId: String(op.operationId), samples: op["x-codeSamples"] });
    }
  }
  return ops;
}

describe("code samples", () => {
  const ops = pathOperations();

  it("are referenced from every operation of openapi/paths/ by $ref, never copied in as text", () => {
    expect(ops).toHaveLength(33);
    const inline = ops.flatMap(({ file, operationId, samples }) =>
      (Array.isArray(samples) ? samples : []).filter((s) => typeof s?.source === "string").map((s) => `${file} ${operationId} ${s.label}`),
    );
    expect(inline, "samples copied into the path files as text; keep them in openapi/code-samples/").toEqual([]);
    for (const { file, operationId, samples } of ops) {
      expect(samples, `${file} ${operationId}`).toEqual(
        KINDS.map(({ lang, label, ext }) => ({ lang, label, source: { $ref: `../code-samples/${operationId}.${ext}` } })),
      );
    }
  });

  it("are each a file of openapi/code-samples/ that an operation references", () => {
    const wanted = ops.flatMap(({ operationId }) => KINDS.map(({ ext }) => `${operationId}.${ext}`)).sort();
    expect(readdirSync(samplesDir).sort()).toEqual(wanted);
  });

  it("are in the bundled description exactly as in their files", () => {
    let count = 0;
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const bundled = op["x-codeSamples"].map((s: { label: string; source: string }) => [s.label, s.source]);
        const files = KINDS.map(({ label, ext }) => [label, readFileSync(join(samplesDir, `${op.operationId}.${ext}`), "utf8")]);
        expect(bundled, `${method} ${path}`).toEqual(files);
        count++;
      }
    }
    expect(count).toBe(33);
  });
});
