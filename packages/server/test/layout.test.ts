/**
 * The layout of the server's source: one folder per resource under `src/resources`, named by
 * the slug of a tag of the description (the tag's name lowercased, spaces as hyphens), whose
 * `handlers.ts` implements that tag's operations without changing the world's maps or records
 * (the model does); and no source file longer than 300 lines.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { document } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const RESOURCES = join(SRC, "resources");
const MAX_LINES = 300;

const slug = (tag: string) => tag.toLowerCase().replace(/ /g, "-");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sourceFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The operationIds of each tag of the description. */
function operationsByTag(): Map<string, string[]> {
  const doc = document as unknown as {
    tags: Array<{ name: string }>;
    paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>>;
  };
  const byTag = new Map<string, string[]>(doc.tags.map((t) => [t.name, []]));
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (typeof op !== "object" || !op?.operationId) continue;
      for (const tag of op.tags ?? []) byTag.get(tag)?.push(op.operationId);
    }
  }
  return byTag;
}

describe("the server's source layout", () => {
  it(`has no source file over ${MAX_LINES} lines (generated code and tests aside)`, () => {
    const long = sourceFiles(SRC)
      .map((path) => ({ file: relative(SRC, path), lines: readFileSync(path, "utf8").split("\n").length - 1 }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  const byTag = operationsByTag();

  it("has a resource folder for each tag of the description, and only those", () => {
    const folders = readdirSync(RESOURCES).filter((name) => statSync(join(RESOURCES, name)).isDirectory());
    expect(folders.sort()).toEqual([...byTag.keys()].map(slug).sort());
  });

  for (const [tag, operationIds] of byTag) {
    const dir = join(RESOURCES, slug(tag));
    it(`src/resources/${slug(tag)}: a README and handlers for every ${tag} operation`, () => {
      const files = readdirSync(dir);
      expect(files).toContain("README.md");
      expect(files).toContain("handlers.ts");
      const handlers = readFileSync(join(dir, "handlers.ts"), "utf8");
      for (const id of operationIds) expect(handlers, `${id} in ${slug(tag)}/handlers.ts`).toMatch(new RegExp(`^  ${id}\\(\\{`, "m"));
    });

    it(`src/resources/${slug(tag)}/handlers.ts changes no map or record of the world`, () => {
      const lines = readFileSync(join(dir, "handlers.ts"), "utf8").split("\n");
      const reaching = lines.filter(
        (line) =>
          /\.(set|delete|clear|push|splice|pop|shift|unshift)\(/.test(line) ||
          /^\s*(?!const |let )[A-Za-z_$][\w$]*(\.[\w$]+|\[[^\]]+\])+\s*([-+*/]?=)(?!=)/.test(line),
      );
      expect(reaching).toEqual([]);
    });
  }
});
