import type { Hono } from "hono";
import { ApiError, problemResponse } from "./problem.js";
import { randomUUID } from "./random.js";

/**
 * Answers one file of a built docs site: given the decoded path below `/docs/` (`""` for the
 * site's root), the file as a `Response`, or `undefined` when there is no such page. The
 * caller has checked nothing about the path: refuse anything that climbs out of the site.
 * `@cloud-backup/server/node` has one for a folder (option `docsDir`).
 */
export type DocsFiles = (path: string) => Promise<Response | undefined> | Response | undefined;

/** Mounts `/docs` (a redirect to `/docs/`) and `/docs/*`, served by `files`, or a 404 with a hint without it. */
export function mountDocs(app: Hono, files: DocsFiles | undefined): void {
  app.get("/docs", (c) => c.redirect("/docs/", 301));
  app.get("/docs/*", async (c) => {
    const miss = (detail: string) => problemResponse(new ApiError(404, detail), c.req.path, c.req.header("x-request-id") ?? randomUUID());
    if (!files) return miss("The docs site is not served here: build it with `npm run docs` and give its folder as `docsDir` (`@cloud-backup/server/node`).");
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname.slice("/docs/".length));
    } catch {
      return miss("No such page of the docs site.");
    }
    try {
      return (await files(path)) ?? miss("No such page of the docs site.");
    } catch {
      return miss("No such page of the docs site.");
    }
  });
}
