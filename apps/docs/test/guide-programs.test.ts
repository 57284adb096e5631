/**
 * The TypeScript programs of the guides, run the way the guides say: `npx tsx FILE.ts` from the
 * repository (tsx is a devDependency of the root), and `node FILE.ts` where Node runs
 * TypeScript itself (22.18+, 23.6+ and 24 strip types by default). The getting-started
 * walkthrough runs against a reference server on a free port, its address put in place of
 * the documented http://127.0.0.1:4010.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsDir, ensureDir, repoRoot, startServer } from "./helpers.js";
import { run } from "./samples.js";

const dir = ensureDir(join(artifactsDir, "guide-programs"));

/** The `ts` code blocks of a guide. */
function tsBlocks(guide: string): string[] {
  const text = readFileSync(join(repoRoot, "docs", guide), "utf8");
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
}

const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
/** Whether this Node runs .ts files without flags (type stripping on by default). */
const stripsTypes = major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  // Fast enough for the walkthrough's backup to finish in a few seconds.
  server = await startServer({ clock: { speed: 120 } });
});
afterAll(() => server?.close());

const programs = [
  { guide: "getting-started.md", index: 0, file: "walkthrough.ts", expect: [/Completed/, /213564 Web Server/] },
  { guide: "reference-server.md", index: 0, file: "embedded.ts", expect: [/MachineAgentId/] },
];

describe("the guides' TypeScript programs", () => {
  for (const program of programs) {
    const runners = [
      { name: "npx tsx", command: "npx", args: (file: string) => ["--no-install", "tsx", file] },
      ...(stripsTypes ? [{ name: "node", command: process.execPath, args: (file: string) => [file] }] : []),
    ];
    for (const runner of runners) {
      it(`${program.guide} (${program.file}) runs with ${runner.name} ${program.file}`, async () => {
        const source = tsBlocks(program.guide)[program.index];
        expect(source, `${program.guide} has no ts block ${program.index}`).toBeDefined();
        expect(source).toMatch(/^import /m);
        const file = join(dir, program.file);
        writeFileSync(file, source!.replaceAll("http://127.0.0.1:4010", server.url));
        server.app.reset();
        const { code, output } = await run(runner.command, runner.args(file), repoRoot, 90_000);
        expect(code, output).toBe(0);
        for (const pattern of program.expect) expect(output).toMatch(pattern);
      }, 120_000);
    }
  }

  it("getting-started.md names the runner for Node 20 and the Node versions that run TypeScript directly", () => {
    const text = readFileSync(join(repoRoot, "docs/getting-started.md"), "utf8");
    expect(text).toContain("npx tsx walkthrough.ts");
    expect(text).toContain("node walkthrough.ts");
    expect(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).devDependencies.tsx).toBeDefined();
  });
});
