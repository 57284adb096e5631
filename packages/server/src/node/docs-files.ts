import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import type { DocsFiles } from "../docs-route.js";
import { docsCsp } from "../guard.js";

/** Content types of the files a built docs site has. */
const DOCS_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

const cspOfPage = new Map<string, { key: string; csp: string }>();

/** The policy of one docs page: the hashes of its inline scripts allowed, nothing else inline (cached per file and size). */
export function docsPageCsp(file: string, bytes: Uint8Array): string {
  const key = `${bytes.byteLength}`;
  const cached = cspOfPage.get(file);
  if (cached && cached.key === key) return cached.csp;
  const html = new TextDecoder().decode(bytes);
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(`sha256-${createHash("sha256").update(match[1]!, "utf8").digest("base64")}`);
  }
  const csp = docsCsp(hashes);
  cspOfPage.set(file, { key, csp });
  return csp;
}

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
      const bytes = await readFile(file);
      // An HTML page gets a policy that allows exactly its own inline scripts.
      const csp: Record<string, string> = extname(file) === ".html" ? { "content-security-policy": docsPageCsp(file, bytes) } : {};
      return new Response(bytes, { headers: { "content-type": type, "cache-control": "no-cache", ...csp } });
    } catch {
      return undefined;
    }
  };
}
