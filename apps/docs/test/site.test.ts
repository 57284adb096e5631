/**
 * The built site in headless Chromium, from the file system (file://): it loads with no failed
 * and no external request, the reference lists all 33 operations, every internal link
 * resolves, the state diagrams render, and search finds operations. Screenshots of the landing
 * page and of one operation go to test-artifacts/.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BACKUP_LIFECYCLE, RESTORE_LIFECYCLE } from "@cloud-backup/server";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { build, redocAnchor, REFERENCES } from "../scripts/build.mjs";
import { apiOperations, artifactsDir, distDir, ensureDir, launchBrowser, skipBrowser, startServer } from "./helpers.js";

const operations = apiOperations();
const url = (page: string) => pathToFileURL(join(distDir, page)).href;
const htmlPages = () =>
  readdirSync(distDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".html"))
    .map((f) => f.split("\\").join("/"))
    .sort();

describe.skipIf(skipBrowser)("the docs site in Chromium", () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  /** Sections of the reference already seen rendered from their hash ("reference/api.html#/backups"). */
  const shownSections = new Set<string>();
  /** Requests that left the machine (blocked), requests that failed, and script errors. */
  const external: string[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  /** The origin of the reference server that serves the site at /docs, once started. */
  let siteOrigin = "";

  beforeAll(async () => {
    browser = await launchBrowser();
    context = browser.context;
    // Anything but the site's own files (and the test's own server) counts as leaving the page.
    const isExternal = (u: URL) => !["file:", "data:", "blob:"].includes(u.protocol) && u.origin !== siteOrigin;
    await context.route(isExternal, (route) => {
      external.push(route.request().url());
      return route.abort("blockedbyclient");
    });
    context.on("requestfailed", (request) => {
      if (!isExternal(new URL(request.url()))) failed.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    context.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.url()}: ${response.status()}`);
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (error) => errors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    external.length = 0;
    failed.length = 0;
    errors.length = 0;
  });

  it("loads the landing page with no failed and no external request", async () => {
    await page.goto(url("index.html"), { waitUntil: "load" });
    await expect(page.title()).resolves.toContain("Cloud Backup API toolkit");
    expect((await page.locator("main h1").innerText()).replace(/^#\s*/, "")).toBe("Cloud Backup API toolkit");
    await page.screenshot({ path: join(ensureDir(artifactsDir), "landing.png"), fullPage: false });
    expect(external).toEqual([]);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("shows all 33 operations in the API reference, each with its curl and TypeScript sample", async () => {
    await page.goto(url("reference/api.html"), { waitUntil: "load" });
    await page.locator("#redoc a[href^='#/']").first().waitFor();
    // Each tag of the menu, and each operation (rendered from the hash, as Redoc routes).
    const menu = new Set(await page.locator("a[href^='#/']").evaluateAll((links) => links.map((a) => a.getAttribute("href"))));
    for (const tag of new Set(operations.map((op) => op.tag)))
      expect(menu, `${tag} in the menu`).toContain(redocAnchor(tag, "x").replace(/\/x$/, ""));
    expect(operations).toHaveLength(33);
    for (const op of operations) {
      const hash = redocAnchor(op.tag, op.operationId).slice(1);
      const id = hash.slice(1);
      await page.evaluate((h) => (window.location.hash = h), hash);
      const shown = await page
        .waitForFunction(([i, summary]) => document.getElementById(i!)?.innerText.includes(summary!), [id, op.summary], { timeout: 10_000 })
        .then(
          () => true,
          () => false,
        );
      expect(shown, `${op.operationId}: "${op.summary}" shown at #${hash}`).toBe(true);
      shownSections.add(`reference/api.html#${hash}`);
    }
    // One operation up close: its samples are in the page, and a screenshot for the record.
    const anchor = redocAnchor("Backups", "requestBackupAction");
    await page.goto(`${url("reference/api.html")}${anchor}`, { waitUntil: "load" });
    await page.locator(`[id="${anchor.slice(2)}"]`).waitFor();
    await page.getByText("curl", { exact: true }).first().waitFor();
    await page.waitForTimeout(500);
    const text = await page.locator("body").innerText();
    expect(text).toContain("Start or stop a backup");
    expect(text).toContain("StartManual");
    await page.screenshot({ path: join(ensureDir(artifactsDir), "operation.png") });
    expect(external).toEqual([]);
    expect(failed).toEqual([]);
  });

  /** Every link of every page, by page, collected by the next test for the one after it. */
  const linksByPage = new Map<string, string[]>();

  it("loads every page with no failed and no external request", async () => {
    const pages = htmlPages();
    expect(pages).toEqual(
      expect.arrayContaining(["index.html", "getting-started.html", "errata.html", ...REFERENCES.map((r) => `reference/${r.name}.html`)]),
    );
    for (const file of pages) {
      await page.goto(url(file), { waitUntil: "load" });
      if (file.startsWith("reference/")) await page.locator("#redoc a[href^='#/']").first().waitFor();
      await page.waitForTimeout(100);
      expect({ file, external, failed, errors }).toEqual({ file, external: [], failed: [], errors: [] });
      const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      linksByPage.set(file, hrefs);
      if (file.startsWith("reference/")) {
        // While the page is open: its own menu's #/tag links must each show their section.
        const own = [...new Set(hrefs.filter((h) => h.startsWith(`${url(file)}#/`)).map((h) => decodeURIComponent(h.split("#")[1]!)))];
        for (const hash of own.filter((h) => h !== "/")) {
          await page.evaluate((h) => (window.location.hash = h), hash);
          const shown = await page
            .locator(`[id="${hash.slice(1)}"]`)
            .waitFor({ timeout: 10_000 })
            .then(
              () => true,
              () => false,
            );
          expect(shown, `${file}#${hash} shows its section`).toBe(true);
          shownSections.add(`${file}#${hash}`);
        }
      }
    }
  });

  it("resolves every internal link", async () => {
    expect(linksByPage.size, "the previous test collected the links").toBeGreaterThan(10);
    const links = new Map<string, Set<string>>(); // target file -> anchors wanted in it
    const checked: string[] = [];
    for (const [file, hrefs] of linksByPage) {
      for (const href of hrefs) {
        if (!href.startsWith("file:")) continue;
        const [path, hash] = href.split("#") as [string, string | undefined];
        const target = relative(distDir, fileURLToPath(path)).split("\\").join("/");
        expect(existsSync(join(distDir, target)), `${file} links to ${href}, which is not a file of the site`).toBe(true);
        expect(target.startsWith(".."), `${file} links outside the site: ${href}`).toBe(false);
        if (!links.has(target)) links.set(target, new Set());
        if (hash) links.get(target)!.add(decodeURIComponent(hash));
        checked.push(href);
      }
    }
    for (const [target, anchors] of links) {
      if (target.startsWith("reference/")) {
        // Redoc renders from the hash: every #/tag or #/tag/operation must show that section.
        const unseen = [...anchors].filter((a) => a.startsWith("/") && a !== "/" && !shownSections.has(`${target}#${a}`));
        if (!unseen.length) continue;
        await page.goto(url(target), { waitUntil: "load" });
        await page.locator("#redoc a[href^='#/']").first().waitFor();
        for (const anchor of unseen) {
          await page.evaluate((h) => (window.location.hash = h), anchor);
          const shown = await page
            .locator(`[id="${anchor.slice(1)}"]`)
            .waitFor({ timeout: 10_000 })
            .then(
              () => true,
              () => false,
            );
          expect(shown, `${target}#${anchor} shows its section`).toBe(true);
        }
      } else {
        const ids = new Set([...readFileSync(join(distDir, target), "utf8").matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
        for (const anchor of anchors) expect(ids.has(anchor), `${target}#${anchor}`).toBe(true);
      }
    }
    expect(checked.length).toBeGreaterThan(100);
    expect(failed).toEqual([]);
  });

  it("renders the backup and restore state diagrams as SVG with every state", async () => {
    const cases = [
      { file: "backups.html", lifecycle: BACKUP_LIFECYCLE, names: [] as string[] },
      { file: "restores.html", lifecycle: RESTORE_LIFECYCLE, names: [] as string[] },
    ];
    for (const c of cases) {
      const states = new Set<string>([...c.lifecycle.initial, ...c.lifecycle.terminal]);
      for (const t of c.lifecycle.transitions) states.add(t.from).add(t.to);
      await page.goto(url(c.file), { waitUntil: "load" });
      const svg = page.locator("figure.diagram svg").first();
      await svg.waitFor({ timeout: 15_000 });
      const text = await svg.evaluate((el) => el.textContent ?? "");
      for (const state of states) expect(text, `${c.file} diagram shows ${state}`).toContain(state);
      const box = await svg.boundingBox();
      expect(box && box.width > 200 && box.height > 200, `${c.file} diagram has a size`).toBe(true);
    }
    // The backup-and-restore sequence diagram between client, service and agent.
    await page.goto(url("backups.html"), { waitUntil: "load" });
    const sequence = await page
      .locator("figure.diagram svg")
      .nth(1)
      .evaluate((el) => el.textContent ?? "");
    for (const actor of ["Client", "Cloud Backup API", "Agent", "StartManual"]) expect(sequence).toContain(actor);
    expect(external).toEqual([]);
  });

  it("renders the diagrams in the browser with the bundled mermaid when built without Chromium", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "cb-docs-client-"));
    try {
      const summary = await build({ outDir, diagrams: "client", references: false, log: () => {} });
      expect(summary.mode).toBe("client");
      await page.goto(pathToFileURL(join(outDir, "backups.html")).href, { waitUntil: "load" });
      const svg = page.locator("figure.diagram svg").first();
      await svg.waitFor({ timeout: 20_000 });
      const text = await svg.evaluate((el) => el.textContent ?? "");
      for (const state of BACKUP_LIFECYCLE.terminal) expect(text).toContain(state);
      expect(external).toEqual([]);
      expect(failed).toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  it("finds an operation with the site search and with the reference's own search", async () => {
    await page.goto(url("index.html"), { waitUntil: "load" });
    await page.locator("#search").fill("createRestore");
    const first = page.locator("#search-results a").first();
    await first.waitFor();
    expect(await first.getAttribute("href")).toBe(`reference/api.html${redocAnchor("Restore configurations", "createRestore")}`);
    await page.locator("#search").press("Enter");
    await page.waitForURL(/reference\/api\.html#\/restore-configurations\/createrestore$/);
    const section = page.locator(`[id="restore-configurations/createrestore"]`);
    await section.waitFor({ timeout: 10_000 });
    expect(await section.innerText()).toContain("Create a restore configuration");

    // The reference's own search (Ctrl+K, full text) finds operations by their words.
    await page.keyboard.press("Control+K");
    await page.keyboard.type("wake up agents");
    const hit = page.locator('[data-component-name="Search/SearchItem"]').first();
    await expect.poll(() => hit.innerText().catch(() => ""), { timeout: 10_000 }).toContain("Wake up agents");
    await hit.click();
    await page.waitForURL(/api\.html#\/users\/wakeagents$/);
    expect(external).toEqual([]);

    // A search by words finds guide sections too.
    await page.goto(url("index.html"), { waitUntil: "load" });
    await page.locator("#search").fill("utc echo");
    await expect(page.locator("#search-results a").first().innerText()).resolves.toContain("The UTC echo");
  });

  it("works from a web server too: the reference server's /docs", async () => {
    const server = await startServer({ docsDir: distDir });
    siteOrigin = new URL(server.url).origin;
    // Served pages carry a restrictive CSP: anything it blocks shows as a console message.
    const blocked: string[] = [];
    const onConsole = (message: { text(): string }) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) blocked.push(message.text());
    };
    page.on("console", onConsole);
    try {
      const landing = await page.goto(`${server.url}/docs`, { waitUntil: "load" });
      expect(landing?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(landing?.headers()["x-content-type-options"]).toBe("nosniff");
      expect(page.url()).toBe(`${server.url}/docs/`);
      expect(await page.locator("main h1").innerText()).toContain("Cloud Backup API toolkit");
      await page.locator('nav.side a[href="reference/api.html"]').click();
      await page.waitForURL(`${server.url}/docs/reference/api.html`);
      await page.locator("#redoc a[href^='#/']").first().waitFor();
      // Redoc's search runs in a worker, which the policy must allow too.
      await page.keyboard.press("Control+K");
      await page.keyboard.type("wake up agents");
      const hit = page.locator('[data-component-name="Search/SearchItem"]').first();
      await hit.waitFor({ timeout: 15_000 });
      expect(await hit.innerText()).toContain("Wake up agents");
      await page.keyboard.press("Escape");
      await page.locator("a[href='#/agents']").first().click();
      await page.waitForURL(/api\.html#\/agents$/);
      // A guide with diagrams and the site search.
      await page.goto(`${server.url}/docs/backups.html`, { waitUntil: "load" });
      expect(await page.locator("svg").count()).toBeGreaterThan(0);
      await page.locator("#search").fill("createRestore");
      await page.locator("#search-results a").first().waitFor();
      expect(external).toEqual([]);
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
    } finally {
      page.off("console", onConsole);
      siteOrigin = "";
      await server.close();
    }
  });
});
