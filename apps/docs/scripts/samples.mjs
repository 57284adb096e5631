/**
 * Keeps the `x-codeSamples` of each operation in `openapi/paths/*.yaml` pointing at its sample
 * files in `openapi/code-samples/`: every operation has exactly
 *
 *   x-codeSamples:
 *     - lang: Shell
 *       label: curl
 *       source:
 *         $ref: ../code-samples/<operationId>.sh
 *     - lang: TypeScript
 *       label: TypeScript
 *       source:
 *         $ref: ../code-samples/<operationId>.ts
 *
 * and `redocly bundle` (`npm run codegen`) puts each file's text into the bundled description,
 * which is what the reference shows and the tests run. Edit the samples in
 * `openapi/code-samples/`, never as text in the path files.
 *
 * Naming rule: `<operationId>.sh` is the curl sample and `<operationId>.ts` the TypeScript one
 * (with `@cloud-backup/client`); every operation has both. The samples talk to the reference
 * server's demo world at http://127.0.0.1:4010 (tenant 1234, token demo-token); the tests run
 * each one against a real server.
 *
 * Usage: `node scripts/samples.mjs` writes the `$ref` entries into the path files (then run
 * `npm run codegen`); `--check` writes nothing and exits 1, naming each operation whose
 * `x-codeSamples` are not its two `$ref`s (a sample copied in as text included), each
 * referenced file that is missing, each sample file no operation references, and each sample
 * file that does not end in exactly one newline.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, parseDocument } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
export const docsRoot = resolve(here, "..");
export const repoRoot = resolve(docsRoot, "../..");
export const samplesDir = join(repoRoot, "openapi", "code-samples");
export const pathsDir = join(repoRoot, "openapi", "paths");
const METHODS = ["get", "put", "post", "delete", "patch"];
const KINDS = [
  { lang: "Shell", label: "curl", ext: "sh" },
  { lang: "TypeScript", label: "TypeScript", ext: "ts" },
];

/** The `x-codeSamples` an operation must have: a `$ref` to each of its two sample files. */
export function samplesFor(operationId) {
  return KINDS.map(({ lang, label, ext }) => ({ lang, label, source: { $ref: `../code-samples/${operationId}.${ext}` } }));
}

/** The problems `--check` reports for the path files in `paths` and the samples in `samples`. */
export function checkSamples({ paths = pathsDir, samples = samplesDir } = {}) {
  const problems = [];
  const stale = [];
  const seen = new Set();
  for (const name of readdirSync(paths)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const doc = parseDocument(readFileSync(join(paths, name), "utf8"));
    for (const method of METHODS) {
      const op = doc.get(method);
      if (!isMap(op)) continue;
      const operationId = String(op.get("operationId"));
      seen.add(operationId);
      const current = op.toJSON()["x-codeSamples"];
      if (JSON.stringify(current) !== JSON.stringify(samplesFor(operationId))) stale.push(operationId);
      for (const { ext } of KINDS) {
        const file = join(samples, `${operationId}.${ext}`);
        if (!existsSync(file)) problems.push(`missing sample openapi/code-samples/${operationId}.${ext} (${name} ${method})`);
      }
    }
  }
  if (stale.length) {
    problems.push(
      `x-codeSamples are not the two $refs to openapi/code-samples/ (run \`npm run samples -w @cloud-backup/docs\`; edit samples in openapi/code-samples/, not in the path files): ${stale.join(", ")}`,
    );
  }
  const files = readdirSync(samples).sort();
  const orphans = files.filter((f) => {
    const m = /^(.+)\.(sh|ts)$/.exec(f);
    return !m || !seen.has(m[1]);
  });
  if (orphans.length) problems.push(`sample files referenced by no operation: ${orphans.join(", ")}`);
  for (const f of files) {
    const text = readFileSync(join(samples, f), "utf8");
    if (text !== `${text.replace(/\s+$/, "")}\n`)
      problems.push(`openapi/code-samples/${f} must end in exactly one newline, with no trailing blank lines or spaces`);
  }
  return { problems, stale, operations: seen.size };
}

function main() {
  const check = process.argv.includes("--check");
  if (!check) {
    let wrote = 0;
    for (const name of readdirSync(pathsDir)
      .filter((f) => f.endsWith(".yaml"))
      .sort()) {
      const file = join(pathsDir, name);
      const text = readFileSync(file, "utf8");
      const doc = parseDocument(text);
      for (const method of METHODS) {
        const op = doc.get(method);
        if (!isMap(op)) continue;
        const wanted = samplesFor(String(op.get("operationId")));
        if (JSON.stringify(op.toJSON()["x-codeSamples"]) === JSON.stringify(wanted)) continue;
        op.set("x-codeSamples", doc.createNode(wanted));
        wrote++;
      }
      const out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
      if (out !== text) writeFileSync(file, out);
    }
    console.log(
      wrote ? `Wrote the x-codeSamples $refs of ${wrote} operation(s). Now run: npm run codegen` : "x-codeSamples are up to date.",
    );
  }
  const { problems, operations } = checkSamples();
  if (problems.length) {
    for (const p of problems) console.error(p);
    process.exit(1);
  }
  if (check) console.log(`x-codeSamples of ${operations} operations are $refs to their files in openapi/code-samples/.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
