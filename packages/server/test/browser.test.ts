/**
 * The main entry runs on any runtime with Web APIs: bundled for the browser (esbuild,
 * `platform: "browser"`) it reaches no Node built-in and no native module, and the bundle
 * answers requests through `app.fetch` in headless Chromium.
 *
 * The Chromium part needs Debian's Chromium (apps/docs/scripts/ensure-chromium.sh). Without
 * it that part is skipped with a message, unless CLOUD_BACKUP_REQUIRE_BROWSER is set (as CI
 * should), in which case it runs and fails.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserBundle, bundleForBrowser } from "./bundle.js";
import { conformanceProblems } from "@cloud-backup/spec/validate";

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
const requireBrowser = Boolean(process.env.CLOUD_BACKUP_REQUIRE_BROWSER);
const skipBrowser = !hasChromium && !requireBrowser;
if (skipBrowser) {
  console.warn(
    `SKIPPING the server's browser test: Chromium is not installed at ${CHROMIUM_PATH}. ` +
      "Install it with apps/docs/scripts/ensure-chromium.sh, or set CLOUD_BACKUP_REQUIRE_BROWSER=1 to make its absence an error.",
  );
}

let core: BrowserBundle;

beforeAll(async () => {
  core = await bundleForBrowser("../src/index.ts");
}, 120_000);

describe("the main entry bundled for the browser", () => {
  it("bundles with no Node built-in and no native module", () => {
    expect(core.errors).toEqual([]);
    expect(core.nodeImports).toEqual([]);
    expect(core.code?.length).toBeGreaterThan(0);
  });

  it("the check catches the Node entry, which needs node:fs and loads SQLite through node:module", async () => {
    const node = await bundleForBrowser("../src/node/index.ts");
    expect(node.nodeImports.some((i) => i.startsWith("node:fs/promises"))).toBe(true);
    // better-sqlite3 is required on first use (src/store.ts), through node:module's createRequire.
    expect(node.nodeImports.some((i) => i.startsWith("node:module"))).toBe(true);
  }, 120_000);
});

describe.skipIf(skipBrowser)("the bundle in headless Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!hasChromium)
      throw new Error(
        `Chromium is required (CLOUD_BACKUP_REQUIRE_BROWSER is set) but missing at ${CHROMIUM_PATH}: run apps/docs/scripts/ensure-chromium.sh`,
      );
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** The page loads the bundle as a module and leaves its exports on `window`. */
  const PAGE = `<!doctype html><title>server</title>
<script type="module">
  import("/server.js").then((m) => { window.cloudBackupServer = m; }, (e) => { window.cloudBackupError = String(e); });
</script>`;

  /** Opens a page of a made-up origin that serves only the bundle, and returns it. */
  async function pageWithBundle() {
    expect(core.code, core.errors.join("\n")).toBeDefined();
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    await page.route("http://cloud-backup.test/**", (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === "/server.js") return route.fulfill({ status: 200, contentType: "text/javascript", body: core.code! });
      if (path === "/") return route.fulfill({ status: 200, contentType: "text/html", body: PAGE });
      return route.fulfill({ status: 404, body: "" });
    });
    await page.goto("http://cloud-backup.test/");
    await page.waitForFunction(() => "cloudBackupServer" in window || "cloudBackupError" in window);
    expect(await page.evaluate(() => (window as any).cloudBackupError)).toBeUndefined();
    return { page, pageErrors };
  }

  it("answers GET /v1.0/1234/user/agents with the demo token: 200 and the four demo agents", async () => {
    const { page, pageErrors } = await pageWithBundle();
    const answer = await page.evaluate(async () => {
      const { createServer, DEMO } = (window as any).cloudBackupServer;
      // No Node in here: no process, no Buffer, no require.
      const globals = {
        process: typeof (globalThis as any).process,
        Buffer: typeof (globalThis as any).Buffer,
        require: typeof (globalThis as any).require,
      };
      // An http page is no secure context: crypto.randomUUID is missing, so ids take the getRandomValues path.
      const context = {
        secure: window.isSecureContext,
        randomUUID: typeof crypto.randomUUID,
        getRandomValues: typeof crypto.getRandomValues,
      };
      const app = createServer({ clock: { speed: 0 } });
      const res: Response = await app.fetch(
        new Request("http://cloud-backup.test/v1.0/1234/user/agents", { headers: { "X-Auth-Token": DEMO.token } }),
      );
      return {
        globals,
        context,
        token: DEMO.token as string,
        status: res.status,
        contentType: res.headers.get("content-type"),
        body: await res.text(),
      };
    });
    await page.close();
    expect(pageErrors).toEqual([]);
    expect(answer.globals).toEqual({ process: "undefined", Buffer: "undefined", require: "undefined" });
    expect(answer.context).toEqual({ secure: false, randomUUID: "undefined", getRandomValues: "function" });
    expect(answer.token).toBe("demo-token");
    expect(answer.status).toBe(200);
    expect(conformanceProblems("GET", "/v1.0/1234/user/agents", answer.status, answer.contentType, answer.body)).toEqual([]);
    const agents = JSON.parse(answer.body) as Array<{ MachineAgentId: number }>;
    expect(agents.map((a) => a.MachineAgentId).sort((a, b) => a - b)).toEqual([95874, 202743, 213563, 213564]);
  }, 60_000);

  it("creates a configuration, decrypts a passphrase and serves the control and Identity APIs there too", async () => {
    const { page, pageErrors } = await pageWithBundle();
    const exchanges = await page.evaluate(async () => {
      const { createServer, encryptPassphrase, DEMO } = (window as any).cloudBackupServer;
      const app = createServer({ clock: { speed: 0 } });
      const out: Array<{ method: string; path: string; status: number; contentType: string | null; body: string }> = [];
      const call = async (
        method: string,
        path: string,
        body?: unknown,
        headers: Record<string, string> = { "X-Auth-Token": DEMO.token },
      ) => {
        const res: Response = await app.fetch(
          new Request(`http://cloud-backup.test${path}`, {
            method,
            headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        );
        const text = await res.text();
        out.push({ method, path, status: res.status, contentType: res.headers.get("content-type"), body: text });
        return text;
      };
      const agent = JSON.parse(await call("GET", "/v1.0/1234/agent/202743"));
      await call("POST", "/v1.0/1234/agent/encrypt", {
        MachineAgentId: 202743,
        EncryptedPasswordHex: encryptPassphrase(agent.PublicKey, "in the browser"),
      });
      await call("POST", "/v1.0/1234/backup-configuration", {
        MachineAgentId: 202743,
        BackupConfigurationName: "Browser",
        IsActive: true,
        VersionRetention: 30,
        MissedBackupActionId: 1,
        Frequency: "Manually",
        StartTimeHour: null,
        StartTimeMinute: null,
        StartTimeAmPm: null,
        DayOfWeekId: null,
        HourInterval: null,
        TimeZoneId: "UTC",
        NotifyRecipients: "",
        NotifySuccess: false,
        NotifyFailure: false,
        Inclusions: [{ FilePath: "/etc", FileItemType: "Folder" }],
        Exclusions: [],
      });
      await call("POST", "/v2.0/tokens", { auth: { passwordCredentials: { username: DEMO.username, password: DEMO.password } } }, {});
      await call("POST", "/__admin/tenants", {}, {});
      await call("GET", "/__admin/health", undefined, {});
      await call("GET", "/docs/", undefined, {});
      return out;
    });
    await page.close();
    expect(pageErrors).toEqual([]);
    expect(exchanges.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      "GET /v1.0/1234/agent/202743 200",
      "POST /v1.0/1234/agent/encrypt 200",
      "POST /v1.0/1234/backup-configuration 200",
      "POST /v2.0/tokens 200",
      "POST /__admin/tenants 201",
      "GET /__admin/health 200",
      "GET /docs/ 404",
    ]);
    for (const e of exchanges)
      expect(conformanceProblems(e.method, e.path, e.status, e.contentType, e.body), `${e.method} ${e.path}`).toEqual([]);
    expect(JSON.parse(exchanges[2]!.body).BackupConfigurationName).toBe("Browser");
    // The request id of the encryption (format uuid, checked above) was made without crypto.randomUUID.
    expect(JSON.parse(exchanges[1]!.body)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }, 60_000);
});
