/**
 * The guides' code, run as a reader would: for each guide, in order, every ```sh block through
 * bash and every TypeScript block that is a complete program (it imports the toolkit; shorter
 * snippets that show one call are not run) against one reference server (the test's, on a free port, in place of
 * `npm start`), the world reset at the start of each guide and kept between its blocks. A block
 * passes when it exits 0 and every API call it made succeeded (or answered one of the error
 * statuses an HTML comment just before it names: `<!-- expected errors: 404 (why) -->`). A block can be left out with an
 * HTML comment just before it that starts with `<!-- not run` and says why (it starts the
 * server, or talks to the real service); a block that calls npm or npx must be (it is never
 * run here). The getting-started guide must end with a completed
 * backup and a completed restore.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import ts from "typescript";
import { DEMO } from "@cloud-backup/server";
import { Marked, type Token } from "marked";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GUIDES } from "../scripts/build.mjs";
import { artifactsDir, ensureDir, repoRoot, startServer } from "./helpers.js";
import { run, substitute, type SampleServer } from "./samples.js";

interface Block {
  lang: string;
  text: string;
  skip?: string;
  /** Error statuses the block provokes on purpose (`<!-- expected errors: 404 (why) -->`). */
  errors?: number[];
}

/** The fenced blocks of a guide, each with the reason it is not run, if it is marked so. */
export function blocksOf(markdown: string): Block[] {
  const tokens: Token[] = new Marked({ gfm: true }).lexer(markdown);
  const blocks: Block[] = [];
  let skip: string | undefined;
  let errors: number[] | undefined;
  for (const token of tokens) {
    const expected = token.type === "html" ? /^<!--\s*expected errors:\s*([\d,\s]+)/i.exec(token.text.trim()) : null;
    if (token.type === "html" && /^<!--\s*not run/i.test(token.text.trim())) skip = token.text.trim().replace(/^<!--\s*|\s*-->$/g, "");
    else if (expected)
      errors = expected[1]!
        .split(/[,\s]+/)
        .filter(Boolean)
        .map(Number);
    else if (token.type === "code") {
      blocks.push({ lang: (token.lang ?? "").split(/\s/)[0] ?? "", text: token.text, skip, errors });
      skip = undefined;
      errors = undefined;
    } else if (token.type !== "space") {
      skip = undefined;
      errors = undefined;
    }
  }
  return blocks;
}

const SHELL = new Set(["sh", "bash", "shell"]);
const TYPESCRIPT = new Set(["ts", "typescript"]);
/** A TypeScript block is a complete program when it imports the toolkit; shorter snippets show one call. */
const isProgram = (b: Block) => TYPESCRIPT.has(b.lang) && /^import .* from "@cloud-backup\//m.test(b.text);

/**
 * Runs a TypeScript program in this process (compiled to JavaScript first), capturing its
 * console output. While it runs, the server's clock moves 30 virtual seconds every 50 ms, as
 * time would pass for a reader waiting on a backup.
 */
async function runProgram(source: string, file: string): Promise<{ code: number; output: string }> {
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  writeFileSync(file, js);
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(format(...args));
  const ticking = setInterval(() => server.app.clock.advance(30_000), 50);
  try {
    await import(pathToFileURL(file).href);
    return { code: 0, output: lines.join("\n") };
  } catch (error) {
    return { code: 1, output: `${lines.join("\n")}\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
  } finally {
    clearInterval(ticking);
    console.log = original;
  }
}
const guides = [{ slug: "index", source: "docs/index.md" }, ...GUIDES].filter((g) => existsSync(join(repoRoot, g.source)));

let server: SampleServer;
let executed = 0;
beforeAll(async () => {
  server = await startServer({ clock: { speed: 0 } });
});
afterAll(async () => {
  await server?.close();
  console.log(`docs: executed ${executed} shell blocks and TypeScript programs of the guides against the reference server`);
});

describe("the guides' shell blocks and TypeScript programs", () => {
  for (const guide of guides) {
    const blocks = blocksOf(readFileSync(join(repoRoot, guide.source), "utf8")).filter((b) => SHELL.has(b.lang) || isProgram(b));
    if (!blocks.length) continue;
    it(`${guide.source}: every shell block and TypeScript program runs, in order, against one server`, async () => {
      server.app.reset();
      const cwd = ensureDir(join(artifactsDir, "guides", guide.slug));
      for (const [i, block] of blocks.entries()) {
        if (block.skip) continue;
        // Never install, build or start anything from a guide: such a block must be marked.
        expect(
          /(^|[\s;&|(])(npm|npx|pnpm|yarn)\s/m.test(block.text),
          `block ${i + 1} of ${guide.source} runs npm; mark it "not run" instead:\n${block.text}`,
        ).toBe(false);
        server.calls.length = 0;
        const { code, output } = SHELL.has(block.lang)
          ? await run("bash", ["-euo", "pipefail", "-c", substitute(server, block.text)], cwd)
          : await runProgram(substitute(server, block.text), join(cwd, `block-${i + 1}.mjs`));
        const calls = server.calls.filter((c) => !c.path.startsWith("/__admin"));
        const transcript = `block ${i + 1} of ${guide.source}:\n${block.text}\noutput:\n${output}\ncalls:\n${calls.map((c) => `  ${c.method} ${c.path} ${c.status}`).join("\n")}`;
        expect(code, transcript).toBe(0);
        expect(
          calls.filter((c) => c.status >= 400 && !block.errors?.includes(c.status)),
          transcript,
        ).toEqual([]);
        // A block that says it provokes an error must provoke it.
        for (const status of block.errors ?? [])
          expect(
            calls.map((c) => c.status),
            transcript,
          ).toContain(status);
        executed++;
      }
      if (guide.slug === "getting-started") {
        // The walk-through ends with a completed backup of 180002 and a completed restore.
        const activity = (await (
          await fetch(`${server.url}/v1.0/${DEMO.tenantId}/activity`, { headers: { "X-Auth-Token": DEMO.token } })
        ).json()) as {
          Type: string;
          ParentId: number;
          BackupId: number;
          ID: number;
          CurrentState: string;
        }[];
        const backup = activity.find((a) => a.Type === "Backup" && a.ParentId === 180002)!;
        const restore = activity.find((a) => a.Type === "Restore")!;
        expect(backup.CurrentState).toBe("Completed");
        const restored = (await (
          await fetch(`${server.url}/v1.0/${DEMO.tenantId}/restore/${restore.ID}`, { headers: { "X-Auth-Token": DEMO.token } })
        ).json()) as { RestoreStateId: number };
        expect(restored.RestoreStateId).toBe(3);
        // And it was made by the guide: the seeded restore is 20000.
        expect(restore.ID).not.toBe(20000);
      }
    }, 180_000);
  }

  it("leaves out only blocks that say why", () => {
    for (const guide of guides) {
      for (const block of blocksOf(readFileSync(join(repoRoot, guide.source), "utf8"))) {
        if (block.skip) expect(block.skip.length, `${guide.source}: ${block.skip}`).toBeGreaterThan("not run".length + 10);
      }
    }
  });
});
