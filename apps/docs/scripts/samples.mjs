/**
 * Writes the code samples in `apps/docs/samples/` into the API description, as the
 * `x-codeSamples` of each operation in `openapi/paths/*.yaml`, so that the reference shows them.
 *
 * Naming rule: `samples/<operationId>.sh` is the curl sample and `samples/<operationId>.ts`
 * the TypeScript one (with `@cloud-backup/client`); every operation has both. The samples
 * talk to the reference server's demo world at http://127.0.0.1:4010 (tenant 1234, token
 * demo-token); the tests run each one against a real server.
 *
 * Usage: `node scripts/samples.mjs` writes the path files (then run
 * `cd packages/spec && node scripts/codegen.mjs`); `--check` writes nothing and exits 1,
 * naming each operation whose samples in the description differ from the files.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, parseDocument, Scalar } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
export const docsRoot = resolve(here, "..");
export const repoRoot = resolve(docsRoot, "../..");
export const samplesDir = join(docsRoot, "samples");
const pathsDir = join(repoRoot, "openapi", "paths");
const METHODS = ["get", "put", "post", "delete", "patch"];

/** The two samples of an operation, as they go into `x-codeSamples`. */
export function samplesFor(operationId) {
  const read = (ext) => {
    const file = join(samplesDir, `${operationId}.${ext}`);
    if (!existsSync(file)) throw new Error(`missing sample ${file}`);
    return readFileSync(file, "utf8").replace(/\s+$/, "") + "\n";
  };
  return [
    { lang: "Shell", label: "curl", source: read("sh") },
    { lang: "TypeScript", label: "TypeScript", source: read("ts") },
  ];
}

function main() {
  const check = process.argv.includes("--check");
  const stale = [];
  const seen = new Set();
  for (const name of readdirSync(pathsDir).filter((f) => f.endsWith(".yaml")).sort()) {
    const file = join(pathsDir, name);
    const text = readFileSync(file, "utf8");
    const doc = parseDocument(text);
    for (const method of METHODS) {
      const op = doc.get(method);
      if (!isMap(op)) continue;
      const operationId = String(op.get("operationId"));
      seen.add(operationId);
      const wanted = samplesFor(operationId);
      const current = op.toJSON()["x-codeSamples"];
      if (JSON.stringify(current) === JSON.stringify(wanted)) continue;
      stale.push(operationId);
      const node = doc.createNode(wanted);
      for (const item of node.items) {
        const source = item.get("source", true);
        if (source instanceof Scalar) source.type = Scalar.BLOCK_LITERAL;
      }
      op.set("x-codeSamples", node);
    }
    if (!check && stale.length) {
      const out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
      if (out !== text) writeFileSync(file, out);
    }
  }
  const orphans = readdirSync(samplesDir)
    .map((f) => f.replace(/\.(sh|ts)$/, ""))
    .filter((id) => !seen.has(id));
  if (orphans.length) {
    console.error(`Samples for unknown operations: ${[...new Set(orphans)].join(", ")}`);
    process.exit(1);
  }
  if (check) {
    if (stale.length) {
      console.error(`x-codeSamples differ from apps/docs/samples/ (run \`npm run samples -w @cloud-backup/docs\`): ${stale.join(", ")}`);
      process.exit(1);
    }
    console.log(`x-codeSamples of ${seen.size} operations match apps/docs/samples/.`);
  } else {
    console.log(stale.length ? `Wrote x-codeSamples of ${stale.length} operation(s). Now run: cd packages/spec && node scripts/codegen.mjs` : "x-codeSamples are up to date.");
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
