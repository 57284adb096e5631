/**
 * The "Try it" console (tryit.html) in headless Chromium, offline, from the file system and
 * from the reference server's /docs: every request is answered by the simulation in the page,
 * and no request leaves it (anything but the site's own files is recorded and blocked).
 * Every answer shown is checked against the description. Screenshots go to test-artifacts/.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { redocAnchor } from "../scripts/build.mjs";
import { apiOperations, artifactsDir, distDir, ensureDir, launchBrowser, skipBrowser, startServer } from "./helpers.js";

const require = createRequire(import.meta.url);
const operations = apiOperations();
/** For screenshots of one console: the sticky bars would cover part of it. */
const UNSTICK = "header.top, .tryit-bar { position: static !important; }";
const fileUrl = (page: string) => pathToFileURL(join(distDir, page)).href;

describe.skipIf(skipBrowser)("the Try it console", () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  let page: Page;
  /** The origin of the server serving /docs, while a test uses it. */
  let siteOrigin = "";
  const external: string[] = [];
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    context = browser.context;
    const isExternal = (u: URL) => !["file:", "data:", "blob:"].includes(u.protocol) && u.origin !== siteOrigin;
    await context.route(isExternal, (route) => {
      external.push(route.request().url());
      return route.abort("blockedbyclient");
    });
    context.on("request", (request) => void requests.push(request.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (error) => errors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    external.length = 0;
    requests.length = 0;
    errors.length = 0;
  });

  /** Opens the console page (fresh simulation) and waits until it is ready. */
  async function open(base: string, hash = ""): Promise<void> {
    await page.goto(`${base}${hash}`, { waitUntil: "load" });
    await page.waitForFunction(() => document.documentElement.dataset.tryit !== undefined, null, { timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.tryit), await page.locator("#tryit-now").innerText()).toBe("ready");
  }

  const section = (operationId: string) => page.locator(`section.tryit-op[data-operation="${operationId}"]`);
  const response = (operationId: string) => section(operationId).getByRole("region", { name: "Response" });

  /** Opens an operation's console with its "Try it" control (unless open) and sends the request as filled in, or with `edit` applied. */
  async function send(
    operationId: string,
    edit?: (console: Locator) => Promise<void>,
  ): Promise<{ status: number; body: string; contentType: string; path: string }> {
    const s = section(operationId);
    const toggle = s.getByRole("button", { name: "Try it", exact: true });
    if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
    await edit?.(s);
    await s.getByRole("button", { name: "Send", exact: true }).click();
    const region = response(operationId);
    const status = await region.getByRole("status").innerText();
    const line = await region.locator(".tryit-request").innerText();
    const body = (await region.locator(".tryit-response-body").count()) ? await region.locator(".tryit-response-body").innerText() : "";
    const headers = await region.locator(".tryit-response-headers").evaluate((dl) => {
      const out: Record<string, string> = {};
      const items = [...dl.children];
      for (let i = 0; i + 1 < items.length; i += 2) out[items[i]!.textContent!] = items[i + 1]!.textContent!;
      return out;
    });
    const path = new URL(line.split(" ")[1]!).pathname;
    return { status: Number(/^\d{3}/.exec(status)?.[0]), body, contentType: headers["content-type"] ?? "", path };
  }

  /** Sends, and checks the answer against the description. */
  async function sendChecked(operationId: string, edit?: (console: Locator) => Promise<void>) {
    const op = operations.find((o) => o.operationId === operationId)!;
    const answer = await send(operationId, edit);
    expect(
      conformanceProblems(op.method, answer.path, answer.status, answer.contentType, answer.body),
      `${operationId} ${answer.status} ${answer.body.slice(0, 300)}`,
    ).toEqual([]);
    return answer;
  }

  /** Back to the demo world, through the page's own button. */
  async function resetSimulation(): Promise<void> {
    await page.getByRole("button", { name: "Reset the simulation" }).click();
    await page.waitForFunction(() => document.documentElement.dataset.tryit === "ready");
  }

  const virtualTime = async () => Date.parse((await page.locator("#tryit-now").innerText()).replace(" UTC", "Z").replace(" ", "T"));

  for (const mode of ["file", "server"] as const) {
    describe(mode === "file" ? "from the file system (file://)" : "from the reference server's /docs", () => {
      let base = "";
      let server: Awaited<ReturnType<typeof startServer>> | undefined;
      beforeAll(async () => {
        if (mode === "file") base = fileUrl("tryit.html");
        else {
          server = await startServer({ docsDir: distDir });
          siteOrigin = new URL(server.url).origin;
          base = `${server.url}/docs/tryit.html`;
        }
      });
      afterAll(async () => {
        siteOrigin = "";
        await server?.close();
      });
      /** No request left the page: only the site's own files were loaded, and the server (if any) answered no API call. */
      const nothingLeft = () => {
        expect(external).toEqual([]);
        const own =
          mode === "file"
            ? (u: string) => /^(file|data|blob):/.test(u)
            : (u: string) => u.startsWith(`${siteOrigin}/docs/`) || /^(data|blob):/.test(u);
        expect(requests.filter((u) => !own(u))).toEqual([]);
        if (server)
          expect(
            server.calls.filter((c) => !c.path.startsWith("/docs")),
            "API calls that reached the server",
          ).toEqual([]);
        expect(errors).toEqual([]);
      };

      it("lists the agents", async () => {
        await open(base, "#listAgents");
        // The link's hash opened that operation's console.
        await expect(
          section("listAgents").getByRole("button", { name: "Try it", exact: true }).getAttribute("aria-expanded"),
        ).resolves.toBe("true");
        const answer = await sendChecked("listAgents");
        expect(answer.status).toBe(200);
        const agents = JSON.parse(answer.body) as Array<{ MachineName: string }>;
        expect(agents.map((a) => a.MachineName).sort()).toEqual(["Database Server", "Web Server", "Web Server2", "web2"]);
        await expect(response("listAgents").getByRole("status").innerText()).resolves.toMatch(/^200 OK/);
        nothingLeft();
      });

      it("creates a configuration, starts a backup of it, advances the clock and reads it Completed", async () => {
        await open(base);
        const created = await sendChecked("createBackupConfiguration");
        expect(created.status, created.body).toBe(200);
        const config = JSON.parse(created.body) as { BackupConfigurationId: number; MachineAgentId: number };
        // The next console is filled in with what was just created.
        const started = await sendChecked("requestBackupAction", async (s) => {
          expect(JSON.parse(await s.getByLabel("Request body (JSON)").inputValue())).toEqual({
            Action: "StartManual",
            Id: config.BackupConfigurationId,
          });
        });
        expect(started.status).toBe(200);
        const backupId = Number(started.body);
        const before = await sendChecked("getBackup", async (s) => {
          await expect(s.getByLabel("backupId", { exact: true }).inputValue()).resolves.toBe(String(backupId));
        });
        expect(JSON.parse(before.body).CurrentState).not.toBe("Completed");
        const t0 = await virtualTime();
        await page.getByRole("button", { name: "Advance 10 minutes" }).click();
        await expect.poll(virtualTime).toBe(t0 + 600_000);
        const after = await sendChecked("getBackup");
        expect(JSON.parse(after.body)).toMatchObject({
          BackupId: backupId,
          BackupConfigurationId: config.BackupConfigurationId,
          CurrentState: "Completed",
        });
        if (mode === "file")
          await section("getBackup").screenshot({ path: join(ensureDir(artifactsDir), "tryit-backup-completed.png"), style: UNSTICK });
        nothingLeft();
      });

      it("answers 400 with its problem body for an invalid body, and changes nothing", async () => {
        await open(base);
        const listed = async () => (JSON.parse((await sendChecked("listBackupConfigurations")).body) as unknown[]).length;
        const count = await listed();
        const bad = await sendChecked("createBackupConfiguration", async (s) => {
          const body = s.getByLabel("Request body (JSON)");
          const value = JSON.parse(await body.inputValue());
          await body.fill(JSON.stringify({ ...value, Frequency: "Fortnightly", VersionRetention: 7 }, null, 2));
        });
        expect(bad.status).toBe(400);
        expect(bad.contentType).toContain("application/problem+json");
        const problem = JSON.parse(bad.body) as { status: number; errors: Array<{ in: string; pointer: string }> };
        expect(problem.status).toBe(400);
        expect(problem.errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(["/Frequency", "/VersionRetention"]));
        await expect(response("createBackupConfiguration").getByRole("status").innerText()).resolves.toMatch(/^400 Bad Request/);
        // Not even JSON: the problem says so.
        const notJson = await sendChecked("createBackupConfiguration", (s) => s.getByLabel("Request body (JSON)").fill("{ not json"));
        expect(notJson.status).toBe(400);
        expect(notJson.body).toContain("is not valid JSON");
        if (mode === "file")
          await section("createBackupConfiguration").screenshot({
            path: join(ensureDir(artifactsDir), "tryit-problem.png"),
            style: UNSTICK,
          });
        expect(await listed()).toBe(count);
        nothingLeft();
      });
    });
  }

  describe("from the file system", () => {
    it('offers a "Try it" control for every operation of the reference, and every filled-in read answers 200', async () => {
      await open(fileUrl("tryit.html"));
      const toggles = page.getByRole("button", { name: "Try it", exact: true });
      await expect(toggles.count()).resolves.toBe(operations.length);
      expect(operations).toHaveLength(33);
      const statuses: string[] = [];
      for (const op of operations) {
        // Each from the demo world (deleteAgent would take web2 away from the reads after it).
        await resetSimulation();
        const answer = await sendChecked(op.operationId);
        statuses.push(`${op.operationId} ${answer.status}`);
        // Reads of the demo world all succeed; writes answer a documented status (checked above).
        if (op.method === "GET") expect(answer.status, `${op.operationId}: ${answer.body.slice(0, 200)}`).toBe(200);
      }
      console.log(`Try it, each operation as filled in from the demo world: ${statuses.join(", ")}`);
      expect(external).toEqual([]);
      expect(errors).toEqual([]);
    });

    it("carries a restore through: create it, add a folder, start it, advance the clock, read it Completed", async () => {
      await open(fileUrl("tryit.html"));
      // A backup of web2 to restore from, made in this page.
      await sendChecked("createBackupConfiguration");
      const backupId = Number((await sendChecked("requestBackupAction")).body);
      await page.getByRole("button", { name: "Advance 10 minutes" }).click();
      expect(JSON.parse((await sendChecked("getBackup")).body).CurrentState).toBe("Completed");
      const created = await sendChecked("createRestore", async (s) => {
        expect(JSON.parse(await s.getByLabel("Request body (JSON)").inputValue())).toMatchObject({
          BackupId: backupId,
          BackupMachineId: 202743,
          DestinationMachineId: 202743,
        });
      });
      expect(created.status, created.body).toBe(200);
      const restoreId = JSON.parse(created.body).RestoreId as number;
      const added = await sendChecked("addRestoreFile");
      expect(added.status, added.body).toBeLessThan(300);
      expect(JSON.parse((await sendChecked("listRestoreFiles")).body)).toHaveLength(1);
      const started = await sendChecked("requestRestoreAction", async (s) => {
        expect(JSON.parse(await s.getByLabel("Request body (JSON)").inputValue())).toMatchObject({ Action: "StartManual", Id: restoreId });
      });
      expect(started.status, started.body).toBeLessThan(300);
      await page.getByRole("button", { name: "Advance 1 hour" }).click();
      const restore = JSON.parse((await sendChecked("getRestore")).body);
      expect(restore).toMatchObject({ RestoreId: restoreId, RestoreStateId: 3 });
    });

    it("is operable with the keyboard alone", async () => {
      await open(fileUrl("tryit.html"));
      const toggle = section("getAgent").getByRole("button", { name: "Try it", exact: true });
      await toggle.focus();
      await page.keyboard.press("Enter");
      await expect(toggle.getAttribute("aria-expanded")).resolves.toBe("true");
      // Tab through the form to Send.
      let onSend = false;
      for (let i = 0; i < 20 && !onSend; i++) {
        await page.keyboard.press("Tab");
        onSend = await page.evaluate(() => document.activeElement?.textContent === "Send");
      }
      expect(onSend).toBe(true);
      await page.keyboard.press("Enter");
      await expect(response("getAgent").getByRole("status").innerText()).resolves.toMatch(/^200 OK/);
      // Space closes the console again.
      await toggle.focus();
      await page.keyboard.press("Space");
      await expect(toggle.getAttribute("aria-expanded")).resolves.toBe("false");
      await expect(section("getAgent").locator(".tryit-console").isHidden()).resolves.toBe(true);
    });

    it("moves the clock by 1 minute, 10 minutes and 1 hour, and resets the simulation", async () => {
      await open(fileUrl("tryit.html"));
      const t0 = await virtualTime();
      await page.getByRole("button", { name: "Advance 1 minute" }).click();
      await expect.poll(virtualTime).toBe(t0 + 60_000);
      await page.getByRole("button", { name: "Advance 10 minutes" }).click();
      await expect.poll(virtualTime).toBe(t0 + 660_000);
      await page.getByRole("button", { name: "Advance 1 hour" }).click();
      await expect.poll(virtualTime).toBe(t0 + 4_260_000);
      const created = await sendChecked("createBackupConfiguration");
      const id = JSON.parse(created.body).BackupConfigurationId as number;
      expect(
        (await sendChecked("getBackupConfiguration", (s) => s.getByLabel("backupConfigurationId", { exact: true }).fill(String(id))))
          .status,
      ).toBe(200);
      await resetSimulation();
      await expect.poll(virtualTime).toBeLessThan(t0 + 60_000);
      const gone = await sendChecked("getBackupConfiguration", (s) =>
        s.getByLabel("backupConfigurationId", { exact: true }).fill(String(id)),
      );
      expect(gone.status).toBe(404);
    });

    it("passes axe-core (WCAG 2.1 A and AA) with a console open and an answer shown", async () => {
      await open(fileUrl("tryit.html"), "#createBackupConfiguration");
      await sendChecked("createBackupConfiguration");
      await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const result = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }>;
            };
          }
        ).axe;
        const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        return r.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 5) }));
      });
      expect(result).toEqual([]);
      await page.screenshot({ path: join(ensureDir(artifactsDir), "tryit-console.png") });
    });

    it("is linked from each operation of the API reference", async () => {
      const op = operations.find((o) => o.operationId === "requestBackupAction")!;
      await page.goto(`${fileUrl("reference/api.html")}${redocAnchor(op.tag, op.operationId)}`, { waitUntil: "load" });
      const link = page
        .locator(`[id="${redocAnchor(op.tag, op.operationId).slice(2)}"]`)
        .getByRole("link", { name: "Try it", exact: true });
      await link.waitFor();
      await link.click();
      await page.waitForURL(/tryit\.html#requestBackupAction$/);
      await page.waitForFunction(() => document.documentElement.dataset.tryit === "ready");
      await expect(
        section("requestBackupAction").getByRole("button", { name: "Try it", exact: true }).getAttribute("aria-expanded"),
      ).resolves.toBe("true");
      expect(external).toEqual([]);
      // Every operation has its link in the reference.
      const html = readFileSync(join(distDir, "reference/api.html"), "utf8");
      expect(operations.filter((o) => !html.includes(`../tryit.html#${o.operationId})`)).map((o) => o.operationId)).toEqual([]);
    });
  });
});
