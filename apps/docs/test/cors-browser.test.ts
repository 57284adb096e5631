/**
 * A browser front end on another origin, in headless Chromium: a page served from one loopback
 * port calls a reference server on another. With `cors` (what `--cors ORIGIN` sets) the page
 * lists the agents and reads X-Request-Id; without it the browser refuses the answer; the
 * control API refuses the page's writes either way, simple (no preflight) or not, and the
 * world stays as it was.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, skipBrowser, startServer } from "./helpers.js";

/** The page: lists agents with fetch, and tries two control API writes. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agents</title></head><body>
<ul id="agents"></ul><p id="status">loading</p>
<script>
async function listAgents(api) {
  try {
    const res = await fetch(api + "/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
    const agents = await res.json();
    for (const a of agents) {
      const li = document.createElement("li");
      li.textContent = a.MachineAgentId + " " + a.MachineName;
      document.getElementById("agents").append(li);
    }
    return { ok: true, status: res.status, requestId: res.headers.get("X-Request-Id"), count: agents.length };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}
async function adminWrites(api) {
  const out = {};
  try {
    // A "simple" request: the browser sends it without a preflight.
    const res = await fetch(api + "/__admin/clock/advance", { method: "POST", body: '{"seconds": 86400}', headers: { "Content-Type": "text/plain" } });
    out.simple = res.status;
  } catch (error) {
    out.simple = "refused: " + String(error);
  }
  try {
    const res = await fetch(api + "/__admin/reset", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    out.preflighted = res.status;
  } catch (error) {
    out.preflighted = "refused: " + String(error);
  }
  return out;
}
</script></body></html>`;

describe.skipIf(skipBrowser)("a page on another origin calls the reference server (headless Chromium)", () => {
  let pages: Server;
  let pageOrigin = "";
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    pages = createHttpServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(PAGE);
    });
    await new Promise<void>((ready) => pages.listen(0, "127.0.0.1", () => ready()));
    pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => pages?.close(done));
  });

  async function visit(api: string) {
    const page = await browser.context.newPage();
    await page.goto(`${pageOrigin}/`);
    const list = await page.evaluate(`listAgents(${JSON.stringify(api)})`);
    const items = await page.locator("#agents li").allInnerTexts();
    const admin = await page.evaluate(`adminWrites(${JSON.stringify(api)})`);
    await page.close();
    return {
      list: list as { ok: boolean; status?: number; requestId?: string; count?: number; error?: string },
      items,
      admin: admin as { simple: unknown; preflighted: unknown },
    };
  }

  it("with cors for the page's origin: lists the agents; the control API still refuses", async () => {
    const server = await startServer({ cors: [pageOrigin], clock: { speed: 0 } });
    try {
      expect(server.url).not.toBe(pageOrigin);
      const before = server.app.clock.now();
      const { list, items, admin } = await visit(server.url);
      expect(list).toMatchObject({ ok: true, status: 200, count: 4 });
      expect(list.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(items).toContain("213564 Web Server");
      expect(items).toHaveLength(4);
      // The simple write reached the server, which refused it (403, and no CORS for the page to read it).
      expect(String(admin.simple)).toMatch(/^refused: TypeError: Failed to fetch/);
      expect(server.calls).toContainEqual(expect.objectContaining({ method: "POST", path: "/__admin/clock/advance", status: 403 }));
      // The preflighted one never got past its preflight.
      expect(String(admin.preflighted)).toMatch(/^refused: TypeError: Failed to fetch/);
      expect(server.calls.filter((c) => c.path === "/__admin/reset" && c.method === "POST")).toEqual([]);
      expect(server.app.clock.now()).toBe(before);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("without cors: the browser refuses the answer, and the control API refuses the writes", async () => {
    const server = await startServer({ clock: { speed: 0 } });
    try {
      const before = server.app.clock.now();
      const { list, items, admin } = await visit(server.url);
      expect(list.ok).toBe(false);
      expect(list.error).toMatch(/TypeError: Failed to fetch/);
      expect(items).toEqual([]);
      // The simple write reaches the server, which refuses it (403); the page cannot read even that.
      expect(String(admin.simple)).toMatch(/^refused: TypeError: Failed to fetch/);
      expect(server.calls).toContainEqual(expect.objectContaining({ method: "POST", path: "/__admin/clock/advance", status: 403 }));
      expect(String(admin.preflighted)).toMatch(/^refused: TypeError: Failed to fetch/);
      expect(server.app.clock.now()).toBe(before);
      expect(server.calls.filter((c) => c.path.startsWith("/__admin") && c.status < 400)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("with cors for another origin only: the browser refuses the answer", async () => {
    const server = await startServer({ cors: ["http://127.0.0.1:1"], clock: { speed: 0 } });
    try {
      const { list, items } = await visit(server.url);
      expect(list.ok).toBe(false);
      expect(items).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
