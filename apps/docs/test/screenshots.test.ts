/**
 * A small set of screenshots of the built site, for a reviewer to look at what changed:
 * apps/docs/screenshots/ (kept out of the repository by .gitignore). The landing page, a guide
 * with a diagram, a guide's code blocks, one operation of the reference, and the Try-it console
 * when the site has one.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsRoot, distDir, ensureDir, launchBrowser, skipBrowser } from "./helpers.js";

const dir = join(docsRoot, "screenshots");
const url = (page: string) => pathToFileURL(join(distDir, page)).href;

describe.skipIf(skipBrowser)("screenshots", () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    ensureDir(dir);
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  afterAll(async () => {
    await browser?.close();
  });

  const shot = async (name: string) => {
    const file = join(dir, `${name}.png`);
    await page.screenshot({ path: file });
    expect(statSync(file).size, `${name}.png`).toBeGreaterThan(10_000);
  };

  it("takes the landing page, a guide with its diagram, and an operation", async () => {
    await page.goto(url("index.html"), { waitUntil: "load" });
    await shot("landing");
    await page.goto(url("backups.html"), { waitUntil: "load" });
    await page.locator("figure.diagram svg").first().scrollIntoViewIfNeeded();
    await shot("guide-diagram");
    // Code blocks with their copy buttons, one of them focused from the keyboard.
    await page.goto(`${url("getting-started.html")}#4-start-a-backup-and-follow-it`, { waitUntil: "load" });
    await page.locator("main button.copy").nth(3).focus();
    await shot("guide-code");
    await page.goto(`${url("reference/api.html")}#/backups/requestbackupaction`, { waitUntil: "load" });
    await page.locator(`[id="backups/requestbackupaction"]`).waitFor();
    await page.waitForTimeout(500);
    await shot("operation");
  });

  it("takes the Try-it console, when the site has one", async () => {
    const tryit = readdirSync(distDir, { recursive: true, encoding: "utf8" }).find((f) => /try-?it.*\.html$/i.test(f));
    if (!tryit) {
      console.log("docs: no Try-it page in the site; no screenshot of it");
      return;
    }
    await page.goto(url(tryit), { waitUntil: "load" });
    await page.waitForTimeout(500);
    await shot("tryit");
  });

  it("lists what it took", () => {
    const files = existsSync(dir) ? readdirSync(dir).sort() : [];
    expect(files).toEqual(expect.arrayContaining(["guide-code.png", "guide-diagram.png", "landing.png", "operation.png"]));
    console.log(`docs: screenshots in apps/docs/screenshots/: ${files.join(", ")}`);
  });
});
