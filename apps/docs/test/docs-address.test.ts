/**
 * The site served by the reference server (`docsDir`) shows its samples with the address the
 * server is reached at, not the http://127.0.0.1:4010 they are written for.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distDir, startServer } from "./helpers.js";

describe("the docs site served at /docs/ on another port", () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer({ docsDir: distDir, clock: { speed: 0 } });
  });
  afterAll(() => server.close());

  it.each(["getting-started.html", "reference-server.html", "reference/api.html"])(
    "%s shows the address it is served from",
    async (page) => {
      const built = readFileSync(join(distDir, page), "utf8");
      expect(built).toContain("http://127.0.0.1:4010");
      const res = await fetch(`${server.url}/docs/${page}`);
      expect(res.status).toBe(200);
      const served = await res.text();
      expect(served).not.toContain("http://127.0.0.1:4010");
      expect(served).not.toContain("http://localhost:4010");
      expect(served.split(server.url).length - 1).toBe(
        built.match(/http:\/\/(127\.0\.0\.1|localhost):4010(?![0-9])/g)!.length + built.split(server.url).length - 1,
      );
    },
  );

  it("leaves files it does not rewrite as they are", async () => {
    const res = await fetch(`${server.url}/docs/assets/site.css`);
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(distDir, "assets/site.css")))).toBe(true);
  });
});
