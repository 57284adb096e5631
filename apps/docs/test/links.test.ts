/**
 * Links of the Markdown sources work where the Markdown is read as files (a code host, an
 * editor, the npm package): every relative link of docs/*.md and README.md points to a file
 * of the repository, its #fragment to a heading of that file (Markdown) or to an operationId
 * it defines (a description file). The site's side, that every link of the built pages
 * resolves, is checked by the build itself and, in Chromium, by site.test.ts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { Marked, type Token } from "marked";
import { describe, expect, it } from "vitest";
import { slugify } from "../scripts/build.mjs";
import { repoRoot } from "./helpers.js";

function linksOf(tokens: Token[], out: string[] = []): string[] {
  for (const t of tokens as (Token & {
    tokens?: Token[];
    items?: Token[];
    href?: string;
    rows?: { tokens: Token[] }[][];
    header?: { tokens: Token[] }[];
  })[]) {
    if (t.type === "link" && t.href) out.push(t.href);
    if (t.tokens) linksOf(t.tokens, out);
    if (t.items) linksOf(t.items, out);
    if (t.header) for (const cell of t.header) linksOf(cell.tokens, out);
    if (t.rows) for (const row of t.rows) for (const cell of row) linksOf(cell.tokens, out);
  }
  return out;
}

/** The heading anchors of a Markdown file, as GitHub and the site make them. */
function anchorsOf(markdown: string): Set<string> {
  const used = new Map<string, number>();
  const out = new Set<string>();
  for (const t of new Marked({ gfm: true }).lexer(markdown)) {
    if (t.type !== "heading") continue;
    const text = (t.text as string).replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    let id = slugify(text);
    const n = used.get(id) ?? 0;
    used.set(id, n + 1);
    if (n) id = `${id}-${n}`;
    out.add(id);
  }
  return out;
}

const sources = [
  ...readdirSync(join(repoRoot, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
  "README.md",
];

describe("links in the Markdown sources, read as files", () => {
  for (const source of sources) {
    it(`${source}: every relative link points to an existing file and anchor`, () => {
      const markdown = readFileSync(join(repoRoot, source), "utf8");
      const links = linksOf(new Marked({ gfm: true }).lexer(markdown));
      const broken: string[] = [];
      for (const href of links) {
        if (/^[a-z][a-z+.-]*:/i.test(href)) {
          // Only web and mail links may have a scheme: `op:` and the like work on the site alone.
          if (!/^(https?|mailto):/i.test(href)) broken.push(`${href} (a scheme only the site knows)`);
          continue;
        }
        const [encoded, hash] = href.split("#") as [string, string | undefined];
        const path = decodeURI(encoded);
        const target = path ? resolve(repoRoot, dirname(source), path) : join(repoRoot, source);
        if (relative(repoRoot, target).startsWith("..")) broken.push(`${href} (outside the repository)`);
        else if (!existsSync(target)) broken.push(`${href} (no such file)`);
        else if (hash && statSync(target).isFile()) {
          const text = readFileSync(target, "utf8");
          if (target.endsWith(".md") && !anchorsOf(text).has(decodeURIComponent(hash))) broken.push(`${href} (no such heading)`);
          if (/\.ya?ml$/.test(target) && !new RegExp(`operationId:\\s*${hash}\\s*$`, "m").test(text))
            broken.push(`${href} (no operation ${hash} in that file)`);
        }
      }
      expect(broken).toEqual([]);
      if (source.startsWith("docs/") && source !== "docs/index.md") expect(links.length, "the guide has links").toBeGreaterThan(0);
    });
  }
});
