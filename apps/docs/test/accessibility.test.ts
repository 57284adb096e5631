/**
 * Accessibility of the built site in headless Chromium: axe-core's WCAG 2.1 A and AA rules over
 * every HTML page of dist/ (whatever pages the build makes), with zero violations allowed; the
 * Redoc pages are checked as a whole, on every route of their menu (Redoc renders the sections
 * around the current one: each route's own section is checked) and with Redoc's search open. Then keyboard use: the skip
 * link, a visible focus on every control Tab reaches, the search and the copy buttons with keys
 * only.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeCheck, describeViolations, totals, type Violation } from "./a11y.js";
import { distDir, launchBrowser, skipBrowser } from "./helpers.js";

const url = (page: string) => pathToFileURL(join(distDir, page)).href;
const htmlPages = () =>
  readdirSync(distDir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".html"))
    .map((f) => f.split("\\").join("/"))
    .sort();
const isRedoc = (page: Page) => page.evaluate(() => Boolean(document.getElementById("redoc")));

/** Every #/... route of a Redoc page: the menu's links, including those a route's group reveals. */
async function redocRoutes(page: Page): Promise<string[]> {
  return page
    .locator("a[href^='#/']")
    .evaluateAll((links) => [...new Set(links.map((a) => decodeURIComponent(a.getAttribute("href")!.slice(1)).split("#")[0]!))]);
}

async function showRoute(page: Page, route: string): Promise<void> {
  await page.evaluate((h) => (window.location.hash = h), route);
  if (route !== "/")
    await page
      .locator(`[id="${route.slice(1)}"]`)
      .first()
      .waitFor({ timeout: 10_000 });
  await page.waitForTimeout(150);
}

describe.skipIf(skipBrowser)("accessibility (axe-core, WCAG 2.1 A and AA)", () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  const checked: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = browser.context;
    await context.route(
      (u) => !["file:", "data:", "blob:"].includes(u.protocol),
      (route) => route.abort("blockedbyclient"),
    );
    page = context.pages()[0] ?? (await context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("finds no violation on any page, in any route or state checked", async () => {
    const pages = htmlPages();
    expect(pages.length).toBeGreaterThanOrEqual(15);
    const violations: Violation[] = [];
    for (const file of pages) {
      await page.goto(url(file), { waitUntil: "load" });
      if (await isRedoc(page)) {
        await page.locator("#redoc a[href^='#/']").first().waitFor();
        violations.push(...(await axeCheck(page, file)));
        checked.push(file);
        const seen = new Set<string>();
        const queue = await redocRoutes(page);
        while (queue.length) {
          const route = queue.shift()!;
          if (seen.has(route)) continue;
          seen.add(route);
          await showRoute(page, route);
          // Redoc renders the sections around the current one: check this route's own section.
          const section = `[data-section-id="${route}"]`;
          violations.push(...(await axeCheck(page, `${file}#${route}`, section)));
          checked.push(`${file}#${route}`);
          for (const r of await redocRoutes(page)) if (!seen.has(r)) queue.push(r);
        }
        // Redoc's own search dialog.
        await page.keyboard.press("Control+K");
        await page.keyboard.type("agent");
        await page.waitForTimeout(400);
        violations.push(...(await axeCheck(page, `${file} (search open)`)));
        await page.keyboard.press("Escape");
      } else {
        violations.push(...(await axeCheck(page, file)));
        checked.push(file);
        // The search box with its results open.
        await page.locator("#search").fill("backup");
        await page.locator("#search-results a").first().waitFor();
        violations.push(...(await axeCheck(page, `${file} (search results open)`)));
        checked.push(`${file} (search)`);
      }
    }
    console.log(
      `docs: axe-core checked ${checked.length} pages and routes: ${violations.length ? JSON.stringify(totals(violations)) : "0 violations"}`,
    );
    // Every operation of the reference was one of the routes checked.
    expect(checked.filter((c) => /^reference\/api\.html#\/[^/]+\/[^/]+$/.test(c)).length).toBe(33);
    expect(violations, describeViolations(violations)).toEqual([]);
  }, 600_000);

  /** Tabs through a page from the top; answers what had the focus, in order, with its focus style. */
  async function tabThrough(max = 400) {
    const seen: { key: string; tag: string; text: string; visible: boolean }[] = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const style = getComputedStyle(el);
        const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
        const box = el.getBoundingClientRect();
        const path: string[] = [];
        for (let e: Element | null = el; e && e !== document.body; e = e.parentElement)
          path.unshift(`${e.tagName}${e.id ? `#${e.id}` : ""}:${[...(e.parentElement?.children ?? [])].indexOf(e)}`);
        return {
          key: path.join(">"),
          tag: el.tagName,
          text: (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().slice(0, 60),
          visible: ring && box.width > 0 && box.height > 0,
        };
      });
      if (!f) break;
      if (seen.length && f.key === seen[0]!.key) break;
      seen.push(f);
    }
    return seen;
  }

  it("has a skip link first, and every control Tab reaches shows a visible focus", async () => {
    await page.goto(url("getting-started.html"), { waitUntil: "load" });
    await page.keyboard.press("Tab");
    const skip = page.locator("a.skip");
    await expect(skip.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.y >= 0 && box.height > 10, "the skip link is on screen when focused").toBe(true);
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("main");

    await page.goto(url("getting-started.html"), { waitUntil: "load" });
    const reached = await tabThrough();
    const texts = reached.map((r) => r.text);
    // The search, every menu link, every heading anchor and every copy button are reachable.
    expect(texts).toContain("Search operations and guides");
    const expected = await page.evaluate(() => ({
      nav: [...document.querySelectorAll("nav.side a")].map((a) => a.textContent!.trim()),
      anchors: [...document.querySelectorAll("main a.anchor")].map((a) => a.getAttribute("aria-label")!),
      copies: document.querySelectorAll("main button.copy").length,
    }));
    for (const t of expected.nav) expect(texts, `menu link ${t}`).toContain(t);
    for (const t of expected.anchors) expect(texts, t).toContain(t);
    expect(expected.copies).toBeGreaterThan(3);
    expect(reached.filter((r) => r.tag === "BUTTON" && r.text.startsWith("Copy the")).length).toBe(expected.copies);
    const invisible = reached.filter((r) => !r.visible).map((r) => `${r.tag} "${r.text}"`);
    expect(invisible, "controls with no visible focus").toEqual([]);
  });

  it("searches with the keyboard only", async () => {
    await page.goto(url("agents.html"), { waitUntil: "load" });
    await page.keyboard.press("/");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("search");
    await page.keyboard.type("report");
    await expect.poll(() => page.locator("#search-status").innerText()).toMatch(/\d+ results?/);
    await page.keyboard.press("ArrowDown");
    const first = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute("href"));
    expect(first).toMatch(/reference\/api\.html#\/[a-z-]+\/get(backup|restore)report$/);
    await page.keyboard.press("ArrowDown");
    const second = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute("href"));
    expect(second).not.toBe(first);
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("search");
    // Escape clears; Tab out of the box closes the results.
    await page.keyboard.press("Escape");
    await expect(page.locator("#search").inputValue()).resolves.toBe("");
    await page.keyboard.type("wake");
    await page.locator("#search-results a").first().waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL(/reference\/api\.html#\/users\/wakeagents$/);
    await page.locator(`[id="users/wakeagents"]`).waitFor({ timeout: 10_000 });
  });

  it("copies a code block with the keyboard", async () => {
    await page.goto(url("getting-started.html"), { waitUntil: "load" });
    const button = page.locator("main button.copy").nth(1);
    const code = await page.locator("main .code-block").nth(1).locator("code").innerText();
    await button.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => button.innerText()).toBe("Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText().catch((e: Error) => `unreadable: ${e.message}`));
    if (!copied.startsWith("unreadable")) expect(copied.trim()).toBe(code.trim());
    expect(code).toContain("curl");
  });
});
