/**
 * `cloudBackupHandlers()` with `setupWorker` from `msw/browser` in headless Chromium: a page
 * served over http on loopback starts MSW's service worker (mockServiceWorker.js, copied from
 * the msw package by its own `msw init` at test time) and calls the API with plain `fetch` on
 * the real hosts. The simulation runs in the page; nothing reaches the network (anything not
 * from the loopback server is recorded and blocked). Every answer is checked against the
 * descriptions.
 *
 * Needs Debian's Chromium (apps/docs/scripts/ensure-chromium.sh). Without it the test is
 * skipped with a message, unless CLOUD_BACKUP_REQUIRE_BROWSER is set, in which case it fails.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const hasChromium = existsSync(CHROMIUM_PATH);
const skipBrowser = !hasChromium && !process.env.CLOUD_BACKUP_REQUIRE_BROWSER;
if (skipBrowser) {
  console.warn(
    `SKIPPING the msw browser test: Chromium is not installed at ${CHROMIUM_PATH} (apps/docs/scripts/ensure-chromium.sh; CLOUD_BACKUP_REQUIRE_BROWSER=1 makes this an error).`,
  );
}

/** What the page does: the worker, then a backup run to completion, all with fetch on the real hosts. */
const PAGE_SCRIPT = `
import { setupWorker } from "msw/browser";
import { cloudBackupHandlers } from "${join(here, "../src/index.ts").replaceAll("\\", "/")}";

const handlers = cloudBackupHandlers();
const worker = setupWorker(...handlers);
const exchanges = [];
// Reading a body is asynchronous: run() waits for every read before it returns.
const reads = [];
worker.events.on("response:mocked", ({ request, response }) => {
  reads.push(response.clone().text().then((body) => exchanges.push({ method: request.method, url: request.url, status: response.status, contentType: response.headers.get("content-type"), body })));
});
const DFW = "https://dfw.backup.api.rackspacecloud.com";
const json = (method, body, token) => ({ method, headers: { "Content-Type": "application/json", ...(token ? { "X-Auth-Token": token } : {}) }, body: JSON.stringify(body) });

window.run = async () => {
  await worker.start({ serviceWorker: { url: "/mockServiceWorker.js" }, onUnhandledRequest: "error", quiet: true });
  const auth = await (await fetch("https://identity.api.rackspacecloud.com/v2.0/tokens", json("POST", { auth: { "RAX-KSKEY:apiKeyCredentials": { username: "demo", apiKey: "demo-api-key" } } }))).json();
  const token = auth.access.token.id;
  const endpoint = auth.access.serviceCatalog.find((s) => s.type === "rax:backup").endpoints.find((e) => e.region === "DFW").publicURL;
  const agents = await (await fetch(endpoint + "/user/agents", { headers: { "X-Auth-Token": token } })).json();
  const config = await (await fetch(endpoint + "/backup-configuration", json("POST", {
    MachineAgentId: 202743, BackupConfigurationName: "From the worker", IsActive: true, VersionRetention: 30, MissedBackupActionId: 1, Frequency: "Manually",
    StartTimeHour: null, StartTimeMinute: null, StartTimeAmPm: null, DayOfWeekId: null, HourInterval: null, TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "ops@example.com", NotifySuccess: false, NotifyFailure: true, Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" }],
  }, token))).json();
  const backupId = await (await fetch(endpoint + "/backup/action-requested", json("POST", { Action: "StartManual", Id: config.BackupConfigurationId }, token))).json();
  const before = (await (await fetch(endpoint + "/backup/" + backupId, { headers: { "X-Auth-Token": token } })).json()).CurrentState;
  // Once through the control API on the global host, once with handlers.clock.
  await fetch("https://backup.api.rackspacecloud.com/__admin/clock/advance", json("POST", { seconds: 60 }));
  handlers.clock.advance(600);
  const after = (await (await fetch(DFW + "/v1.0/backup/" + backupId, { headers: { "X-Auth-Token": token } })).json()).CurrentState;
  const invalid = await fetch(endpoint + "/backup-configuration", json("POST", { MachineAgentId: "web2" }, token));
  let reset = "";
  try { await fetch(DFW + "/v1.0/user/agents", { headers: { "X-Auth-Token": token, Prefer: "fault=reset" } }); } catch (error) { reset = error.name; }
  await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all(reads);
  return { endpoint, agents: agents.length, before, after, invalid: invalid.status, reset, inWorld: handlers.world.tenants.get("1234").backups.has(backupId), controlled: navigator.serviceWorker.controller !== null, exchanges };
};
`;

describe.skipIf(skipBrowser)("cloudBackupHandlers() with setupWorker in Chromium", () => {
  let dir = "";
  let server: Server;
  let origin = "";
  let context: BrowserContext;
  let profile = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cb-msw-browser-"));
    // What a project does: `npx msw init <public dir>` (in a project: it reads package.json).
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "msw-browser-page", private: true }));
    const cli = join(dirname(require.resolve("msw/package.json")), "cli", "index.js");
    await promisify(execFile)(process.execPath, [cli, "init", dir, "--no-save"], { cwd: dir, timeout: 60_000 });
    expect(existsSync(join(dir, "mockServiceWorker.js"))).toBe(true);
    writeFileSync(join(dir, "entry.js"), PAGE_SCRIPT);
    await build({
      entryPoints: [join(dir, "entry.js")],
      outfile: join(dir, "app.js"),
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      logLevel: "silent",
      nodePaths: [join(here, "../node_modules"), join(here, "../../../node_modules")],
    });
    writeFileSync(
      join(dir, "index.html"),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>msw</title></head><body><script type="module" src="/app.js"></script></body></html>`,
    );
    const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };
    server = createServer((req, res) => {
      const file = join(dir, new URL(req.url ?? "/", "http://x").pathname.replace(/^\/$/, "/index.html"));
      if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end();
      res
        .writeHead(200, { "content-type": types[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream" })
        .end(readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (!hasChromium) throw new Error(`Chromium is required (CLOUD_BACKUP_REQUIRE_BROWSER is set) but missing at ${CHROMIUM_PATH}`);
    profile = mkdtempSync(join(tmpdir(), "cb-msw-chromium-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (server?.listening) await new Promise((resolve) => server.close(resolve));
    for (const d of [dir, profile]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it("answers fetch on the real hosts from the page's simulation: Identity, a backup to Completed, a 400, a dropped connection", async () => {
    const blocked: string[] = [];
    const seen: Array<{ url: string; fromServiceWorker: boolean }> = [];
    await context.route(
      (url) => url.origin !== origin,
      (route) => {
        blocked.push(route.request().url());
        return route.abort("blockedbyclient");
      },
    );
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Playwright reports finished requests as events that can arrive after evaluate() returns,
    // and reading each one's response is asynchronous: the assertions wait for all of them.
    const pending: Array<Promise<void>> = [];
    page.on("requestfinished", (request) => {
      pending.push(
        request
          .response()
          .then((response) => void seen.push({ url: request.url(), fromServiceWorker: response?.fromServiceWorker() ?? false })),
      );
    });
    await page.goto(`${origin}/`, { waitUntil: "load" });
    await page.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === "function");
    const result = await page.evaluate(() => (window as unknown as { run: () => Promise<any> }).run());

    expect(result).toMatchObject({
      endpoint: "https://dfw.backup.api.rackspacecloud.com/v1.0/1234",
      agents: 4,
      after: "Completed",
      invalid: 400,
      reset: "TypeError",
      inWorld: true,
      controlled: true,
    });
    expect(result.before).not.toBe("Completed");
    const problems = (result.exchanges as Array<{ method: string; url: string; status: number; contentType: string | null; body: string }>)
      .filter((e) => e.status !== 0)
      .flatMap((e) => conformanceProblems(e.method, e.url, e.status, e.contentType, e.body));
    expect(problems).toEqual([]);
    expect(result.exchanges.length).toBeGreaterThanOrEqual(8);
    // Nothing left the machine: the API requests were answered by the worker from the page.
    expect(blocked).toEqual([]);
    const apiSeen = async () => {
      await Promise.all(pending);
      return seen.filter((s) => !s.url.startsWith(origin)).length;
    };
    await expect.poll(apiSeen, { timeout: 15_000, interval: 50 }).toBeGreaterThanOrEqual(7);
    const api = seen.filter((s) => !s.url.startsWith(origin));
    expect(api.filter((s) => !s.fromServiceWorker)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
