/**
 * The reference server's /docs route (packages/server/src/docs-route.ts, and
 * src/node/docs-files.ts behind the option `docsDir` of `@cloud-backup/server/node`): serves
 * the built site read-only, never a file outside it, and explains itself when no site is given.
 */
import { request } from "node:http";
import { join } from "node:path";
import { createServer } from "@cloud-backup/server/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distDir, startServer } from "./helpers.js";

describe("the reference server's /docs", () => {
  const app = createServer({ docsDir: distDir, clock: { speed: 0 } });

  it("redirects /docs to /docs/ and answers the landing page there", async () => {
    const redirect = await app.request("/docs");
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/docs/");
    const res = await app.request("/docs/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await res.text()).toContain("Cloud Backup API toolkit");
  });

  it.each([
    ["/docs/reference/api.html", "text/html; charset=utf-8"],
    ["/docs/assets/site.css", "text/css; charset=utf-8"],
    ["/docs/assets/search-index.js", "text/javascript; charset=utf-8"],
  ])("serves %s as %s", async (path, type) => {
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(type);
  });

  it.each([
    "/docs/no-such-page.html",
    "/docs/%2e%2e/package.json",
    "/docs/..%2f..%2fpackage.json",
    "/docs/%2e%2e%2f%2e%2e%2fscripts%2fbuild.mjs",
    "/docs/%00",
  ])("answers 404 for %s, never a file outside the site", async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("answers 404 with a hint when it was given no site", async () => {
    const res = await createServer({ clock: { speed: 0 } }).request("/docs/");
    expect(res.status).toBe(404);
    const problem = (await res.json()) as { detail: string };
    expect(problem.detail).toContain("docsDir");
    expect(problem.detail).toContain("npm run docs");
  });

  describe("over a real socket, with paths no client normalizes", () => {
    let server: Awaited<ReturnType<typeof startServer>>;
    beforeAll(async () => {
      server = await startServer({ docsDir: join(distDir, "reference") });
    });
    afterAll(() => server.close());

    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const { port } = new URL(server.url);
        request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on("error", reject)
          .end();
      });

    it("serves a file of the folder and nothing above it", async () => {
      expect(await get("/docs/api.html")).toBe(200);
      expect(await get("/docs/../index.html")).not.toBe(200);
      expect(await get("/docs/../../package.json")).not.toBe(200);
      expect(await get("/docs/..%2findex.html")).toBe(404);
      expect(await get("/docs/%2e%2e/%2e%2e/package.json")).toBe(404);
    });
  });
});
