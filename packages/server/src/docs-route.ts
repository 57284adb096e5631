import type { Hono } from "hono";
import { docsAddressRewriter } from "./docs-address.js";
import { docsCsp } from "./guard.js";
import { ApiError, problemResponse } from "./problem.js";
import { randomUUID } from "./random.js";

/**
 * Answers one file of a built docs site: given the decoded path below `/docs/` (`""` for the
 * site's root), the file as a `Response`, or `undefined` when there is no such page. The
 * caller has checked nothing about the path: refuse anything that climbs out of the site.
 * `@cloud-backup/server/node` has one for a folder (option `docsDir`).
 */
export type DocsFiles = (path: string) => Promise<Response | undefined> | Response | undefined;

const rewriteAddress = docsAddressRewriter();

/** sha256 of a text, base64, with Web Crypto. */
async function sha256Base64(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The policy of one docs page: the hashes of its inline scripts allowed, nothing else inline. */
export async function docsPageCsp(html: string): Promise<string> {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi))
    hashes.push(`sha256-${await sha256Base64(match[1]!)}`);
  // The Try it console runs the simulation in the page, whose request validators are compiled to functions.
  return docsCsp(hashes, { evaluates: /<meta name="cloud-backup-simulation"/.test(html) });
}

/**
 * Mounts `/docs` (a redirect to `/docs/`) and `/docs/*`, served by `files`, or a 404 with a hint
 * without it. Text files are answered with the address the page was reached at in place of the
 * one the samples are written for (`npm start`'s), and each page gets a policy listing the
 * hashes of exactly its own inline scripts (computed after that rewrite).
 */
export function mountDocs(app: Hono, files: DocsFiles | undefined): void {
  const policies = new Map<string, string>();
  app.get("/docs", (c) => c.redirect("/docs/", 301));
  app.get("/docs/*", async (c) => {
    const miss = (detail: string) => problemResponse(new ApiError(404, detail), c.req.path, c.req.header("x-request-id") ?? randomUUID());
    if (!files)
      return miss(
        "The docs site is not served here: build it with `npm run docs` and give its folder as `docsDir` (`@cloud-backup/server/node`).",
      );
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname.slice("/docs/".length));
    } catch {
      return miss("No such page of the docs site.");
    }
    let file: Response | undefined;
    try {
      file = await files(path);
    } catch {
      file = undefined;
    }
    if (!file) return miss("No such page of the docs site.");
    const type = file.headers.get("content-type") ?? "application/octet-stream";
    const origin = new URL(c.req.url).origin;
    const bytes = rewriteAddress(new Uint8Array(await file.arrayBuffer()), type, origin);
    const headers = new Headers(file.headers);
    if (type.startsWith("text/html")) {
      const key = `${path} ${origin} ${bytes.byteLength}`;
      let policy = policies.get(key);
      if (!policy) policies.set(key, (policy = await docsPageCsp(new TextDecoder().decode(bytes))));
      headers.set("content-security-policy", policy);
    }
    return new Response(bytes, { status: file.status, headers });
  });
}
