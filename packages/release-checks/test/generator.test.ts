/**
 * The description serves other generators: @hey-api/openapi-ts (an independent TypeScript
 * generator, with its bundled fetch client) generates a client from packages/spec/openapi.json
 * into a temp folder; tsc compiles it with strict settings (module nodenext), with a small
 * program using it; the compiled client then calls the reference server in-process.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createClient } from "@hey-api/openapi-ts";
import { afterAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, "../../..");
const SPEC = join(ROOT, "packages/spec/openapi.json");

const USE = `import { client } from "./client/client.gen.js";
import { getAgent, listAgents } from "./client/sdk.gen.js";
import type { Agent, BackupActionRequest } from "./client/types.gen.js";

export async function run(baseUrl: string, fetchImpl: typeof fetch): Promise<{ agents: number; name: string; status: Agent["Status"]; missing: number }> {
  client.setConfig({ baseUrl, fetch: fetchImpl, auth: () => "demo-token" });
  const list = await listAgents({ path: { tenant_id: "1234" }, throwOnError: true });
  const first = list.data[0];
  if (!first) throw new Error("no agents");
  const one = await getAgent({ path: { tenant_id: "1234", machineAgentId: first.MachineAgentId }, throwOnError: true });
  const missing = await getAgent({ path: { tenant_id: "1234", machineAgentId: 999999 } });
  // @ts-expect-error Action is an enum of the description
  const wrong: BackupActionRequest = { Action: "Restart", Id: 1 };
  void wrong;
  return { agents: list.data.length, name: one.data.MachineName, status: one.data.Status, missing: missing.response.status };
}
`;

describe("an independent generator (@hey-api/openapi-ts)", () => {
  const dir = mkdtempSync(join(tmpdir(), "cb-heyapi-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("generates a client from packages/spec/openapi.json that compiles with tsc (strict) and calls the server", async () => {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify(
        {
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
            skipLibCheck: false,
            declaration: true,
            outDir: "dist",
          },
          include: ["src"],
        },
        null,
        2,
      ),
    );
    await createClient({
      input: SPEC,
      output: { path: join(dir, "src/client"), tsConfigPath: join(dir, "tsconfig.json") },
      plugins: ["@hey-api/typescript", "@hey-api/sdk", "@hey-api/client-fetch"],
      logs: { level: "silent" },
    });
    const sdk = readFileSync(join(dir, "src/client/sdk.gen.ts"), "utf8");
    const spec = JSON.parse(readFileSync(SPEC, "utf8"));
    const operationIds = Object.values<Record<string, { operationId?: string }>>(spec.paths).flatMap((item) =>
      ["get", "put", "post", "delete", "patch"].flatMap((m) => (item[m]?.operationId ? [item[m]!.operationId!] : [])),
    );
    for (const id of operationIds) expect(sdk, id).toContain(`export const ${id} =`);
    writeFileSync(join(dir, "src/use.ts"), USE);

    const tsc = require.resolve("typescript/bin/tsc");
    const r = await exec(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: dir }).catch(
      (e: { stdout: string; stderr: string }) => {
        throw new Error(`tsc failed on the generated client:\n${e.stdout}\n${e.stderr}`);
      },
    );
    expect(r.stderr).toBe("");
    expect(readdirSync(join(dir, "dist/client"))).toContain("sdk.gen.js");

    const { createServer } = await import("@cloud-backup/server");
    const app = createServer({ clock: { speed: 0 } });
    try {
      const { run } = (await import(pathToFileURL(join(dir, "dist/use.js")).href)) as {
        run: (baseUrl: string, f: typeof fetch) => Promise<{ agents: number; name: string; status: string; missing: number }>;
      };
      const result = await run("http://reference.test", async (input, init) => app.fetch(new Request(input, init)));
      expect(result.agents).toBeGreaterThan(0);
      expect(result.missing).toBe(404);
      console.log(
        `@hey-api/openapi-ts: ${operationIds.length} SDK functions generated, compiled with tsc (strict, nodenext), listAgents/getAgent against the server: ${JSON.stringify(result)}`,
      );
    } finally {
      app.close();
    }
  }, 240_000);
});
