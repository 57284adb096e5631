/**
 * The description also serves orval, openapi-zod-client and Kubb (next to @hey-api/openapi-ts in
 * generator.test.ts). Each generates a client from packages/spec/openapi.json into a temp folder;
 * a small program asserts at the type level that every operation with a request body takes a
 * known body type (neither `unknown` nor `any`), and tsc compiles it all strictly. The
 * openapi-zod-client output also runs: each body schema accepts the description's request
 * examples and refuses a body that is not one.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, "../../..");
const SPEC = join(ROOT, "packages/spec/openapi.json");
const spec = JSON.parse(readFileSync(SPEC, "utf8"));
const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
const localBin = (name: string) => join(import.meta.dirname, "../node_modules/.bin", name);

interface Op {
  operationId: string;
  pathParams: number;
  hasBody: boolean;
  examples: unknown[];
}
const ops: Op[] = Object.entries<Record<string, any>>(spec.paths).flatMap(([path, item]) =>
  ["get", "put", "post", "delete"].flatMap((m) =>
    item[m]
      ? [
          {
            operationId: item[m].operationId as string,
            pathParams: (path.match(/\{/g) ?? []).length,
            hasBody: Boolean(item[m].requestBody?.content?.["application/json"]),
            examples: Object.values<any>(item[m].requestBody?.content?.["application/json"]?.examples ?? {}).map((e) => e.value),
          },
        ]
      : [],
  ),
);
const withBody = ops.filter((o) => o.hasBody);

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    lib: ["ES2023", "DOM", "DOM.Iterable"],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    allowImportingTsExtensions: true,
    rewriteRelativeImportExtensions: true,
    // The generated code is checked; the generators' runtime packages (zod, @zodios/core) are not ours to check.
    skipLibCheck: true,
    outDir: "dist",
  },
  include: ["src"],
};

/** Type-level assertions: each body parameter is a known type. */
const KNOWN = `type IsKnown<T> = unknown extends T ? false : true;
type Assert<T extends true> = T;
`;

async function tsc(dir: string): Promise<void> {
  await exec(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir }).catch(
    (e: { stdout: string; stderr: string }) => {
      throw new Error(`tsc failed:\n${e.stdout}\n${e.stderr}`);
    },
  );
}

describe("other generators", () => {
  const dir = mkdtempSync(join(tmpdir(), "cb-generators-"));
  beforeAll(() => {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    mkdirSync(join(dir, "src"));
    // The generated code imports zod and @zodios/core; resolve them from the workspace.
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("covers the 15 operations that take a JSON body", () => {
    expect(withBody).toHaveLength(15);
  });

  it("orval: every operation is generated and every request body is typed; tsc (strict) compiles it", async () => {
    writeFileSync(
      join(dir, "orval.config.mjs"),
      `export default { cb: { input: { target: ${JSON.stringify(SPEC)} }, output: { target: "./src/orval/client.ts", client: "fetch", mode: "single" } } };\n`,
    );
    await exec(localBin("orval"), ["--config", join(dir, "orval.config.mjs")], { cwd: dir });
    const source = readFileSync(join(dir, "src/orval/client.ts"), "utf8");
    for (const op of ops) expect(source, op.operationId).toContain(`export const ${op.operationId} = `);
    expect(source).not.toMatch(/\bNUMBER_1: '1'/);
    const checks = withBody.map(
      (op) => `type _${op.operationId} = Assert<IsKnown<Parameters<typeof api.${op.operationId}>[${op.pathParams}]>>;`,
    );
    writeFileSync(
      join(dir, "src/orval-use.ts"),
      `import type * as api from "./orval/client.ts";\n${KNOWN}${checks.join("\n")}\nexport {};\n`,
    );
    await tsc(dir);
  }, 300_000);

  it("Kubb: every operation is generated and every request body is typed; tsc (strict) compiles it", async () => {
    writeFileSync(
      join(dir, "kubb.config.mjs"),
      `import { defineConfig } from "@kubb/core";
import { pluginOas } from "@kubb/plugin-oas";
import { pluginTs } from "@kubb/plugin-ts";
import { pluginClient } from "@kubb/plugin-client";
export default defineConfig({
  root: ${JSON.stringify(dir)},
  input: { path: ${JSON.stringify(SPEC)} },
  output: { path: "./src/kubb", clean: true, format: false, lint: false },
  plugins: [pluginOas({ generators: [] }), pluginTs(), pluginClient({ client: "fetch", bundle: true })],
});
`,
    );
    await exec(bin("kubb"), ["generate", "--config", join(dir, "kubb.config.mjs")], { cwd: dir });
    const index = readFileSync(join(dir, "src/kubb/index.ts"), "utf8");
    for (const op of ops) expect(index, op.operationId).toMatch(new RegExp(`\\b${op.operationId}\\b`));
    const checks = withBody.map(
      (op) => `type _${op.operationId} = Assert<IsKnown<Parameters<typeof api.${op.operationId}>[${op.pathParams}]>>;`,
    );
    writeFileSync(join(dir, "src/kubb-use.ts"), `import type * as api from "./kubb/index.ts";\n${KNOWN}${checks.join("\n")}\nexport {};\n`);
    await tsc(dir);
  }, 300_000);

  it("openapi-zod-client: every body schema is a real schema (accepts the examples, refuses a number); tsc (strict) compiles it", async () => {
    mkdirSync(join(dir, "src/zod"), { recursive: true });
    await exec(
      bin("openapi-zod-client"),
      [SPEC, "-o", join(dir, "src/zod/client.ts"), "--with-alias", "--export-schemas", "--export-types"],
      { cwd: dir },
    );
    const source = readFileSync(join(dir, "src/zod/client.ts"), "utf8");
    expect(source).not.toMatch(/z\.enum\(\[[^\]]*\bnull\b/);
    writeFileSync(
      join(dir, "src/zod-use.ts"),
      `import { api } from "./zod/client.ts";\nexport const endpoints = api.api.map((e) => ({ alias: e.alias, body: e.parameters?.find((p) => p.type === "Body")?.schema }));\n`,
    );
    await tsc(dir);
    const { endpoints } = (await import(pathToFileURL(join(dir, "dist/zod-use.js")).href)) as {
      endpoints: Array<{ alias?: string; body?: { safeParse(v: unknown): { success: boolean } } }>;
    };
    for (const op of ops)
      expect(
        endpoints.map((e) => e.alias),
        op.operationId,
      ).toContain(op.operationId);
    for (const op of withBody) {
      const body = endpoints.find((e) => e.alias === op.operationId)?.body;
      expect(body, `${op.operationId} has a body schema`).toBeDefined();
      expect(body!.safeParse(42).success, `${op.operationId}'s body schema accepts 42: it is not a real schema`).toBe(false);
      for (const example of op.examples) expect(body!.safeParse(example).success, `${op.operationId} refuses its own example`).toBe(true);
    }
  }, 300_000);
});
