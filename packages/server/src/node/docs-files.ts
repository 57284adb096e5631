import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { DocsFiles } from "../docs-route.js";

/** Content types of the files a built docs site has. */
const DOCS_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** Serves the files of a folder (a built docs site, `apps/docs/dist`), read-only. */
export function docsFolder(dir: string): DocsFiles {
  const root = resolve(dir);
  return async (path) => {
    let file = resolve(root, path || "index.html");
    // Only files inside the folder: "..", encoded or not, cannot climb out of it.
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const type = DOCS_TYPES[extname(file)] ?? "application/octet-stream";
      return new Response(await readFile(file), { headers: { "content-type": type, "cache-control": "no-cache" } });
    } catch {
      return undefined;
    }
  };
}
