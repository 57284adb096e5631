/**
 * Every TypeScript sample of the reference: type-checked with the repository's strict settings
 * against @cloud-backup/client, compiled, then executed against a reference server as the docs
 * say to run TypeScript: with tsx (here its in-process loader, `tsImport`, on the .ts file).
 */
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { tsImport } from "tsx/esm/api";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, ensureDir, startServer } from "./helpers.js";
import { expectSampleSucceeds, operations, sampleOf, substitute, type SampleServer } from "./samples.js";

const dir = join(artifactsDir, "samples", "ts");
let server: SampleServer;
let diagnostics: string[] = [];
let executed = 0;

beforeAll(async () => {
  server = await startServer({ clock: { speed: 10 } });
  rmSync(dir, { recursive: true, force: true });
  ensureDir(dir);
  const files = operations.map((op) => {
    const file = join(dir, `${op.operationId}.ts`);
    writeFileSync(file, substitute(server, sampleOf(op.operationId, "TypeScript")));
    return file;
  });
  // The settings of tsconfig.base.json, emitting JavaScript next to each sample.
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: dir,
    outDir: dir,
  });
  const emitted = program.emit();
  diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
});
afterAll(async () => {
  await server?.close();
  console.log(`docs: executed ${executed} TypeScript samples against the reference server`);
});

/** Runs a sample's .ts file with tsx in this process (its top-level code runs on import), capturing its output. */
async function execute(file: string): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(format(...args));
  try {
    await tsImport(pathToFileURL(file).href, import.meta.url);
    return { code: 0, output: lines.join("\n") };
  } catch (error) {
    return { code: 1, output: `${lines.join("\n")}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
  } finally {
    console.log = original;
  }
}

describe("TypeScript samples", () => {
  it("type-check with the repository's strict settings", () => {
    expect(diagnostics).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".js"))).toHaveLength(33);
  });

  for (const { operationId } of operations) {
    it(`${operationId}: runs against the reference server`, async () => {
      expect(diagnostics).toEqual([]);
      await expectSampleSucceeds(server, operationId, () => execute(join(dir, `${operationId}.ts`)));
      executed++;
    });
  }
});
