import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createServer, type CloudBackupServer, type ServerOptions } from "@cloud-backup/server/node";
import { chromium, type BrowserContext } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH, docsRoot, operationsOf, repoRoot, type Operation } from "../scripts/build.mjs";

export { docsRoot, repoRoot };
export const distDir = join(docsRoot, "dist");
export const artifactsDir = join(docsRoot, "test-artifacts");

/**
 * Browser tests need Debian's Chromium. Without it they are skipped with a message, unless
 * CLOUD_BACKUP_REQUIRE_BROWSER is set (as CI should), in which case they run and fail.
 */
export const hasChromium = existsSync(CHROMIUM_PATH);
export const requireBrowser = Boolean(process.env.CLOUD_BACKUP_REQUIRE_BROWSER);
export const skipBrowser = !hasChromium && !requireBrowser;
if (skipBrowser) {
  console.warn(
    `SKIPPING the docs browser tests: Chromium is not installed at ${CHROMIUM_PATH}. ` +
      "Install it with apps/docs/scripts/ensure-chromium.sh, or set CLOUD_BACKUP_REQUIRE_BROWSER=1 to make its absence an error.",
  );
}

/** Launches Chromium headless with a fresh profile; `close()` also removes the profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!hasChromium)
    throw new Error(
      `Chromium is required (CLOUD_BACKUP_REQUIRE_BROWSER is set) but missing at ${CHROMIUM_PATH}: run apps/docs/scripts/ensure-chromium.sh`,
    );
  const userDataDir = mkdtempSync(join(tmpdir(), "cb-docs-test-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The bundled description of @cloud-backup/spec (with the x-codeSamples the reference shows). */
export function apiOperations(): Operation[] {
  return operationsOf(JSON.parse(readFileSync(join(repoRoot, "packages/spec/openapi.json"), "utf8")));
}

export interface LoggedCall {
  method: string;
  path: string;
  operationId: string;
  status: number;
}

/** A reference server on a free loopback port, recording every request it answers. */
export async function startServer(options: ServerOptions = {}): Promise<{
  app: CloudBackupServer;
  url: string;
  calls: LoggedCall[];
  close: () => Promise<void>;
}> {
  const calls: LoggedCall[] = [];
  const app = createServer({
    ...options,
    log: (line) => {
      const m = /^(\S+) (\S+) (\S+) (\d{3}) /.exec(line);
      if (m) calls.push({ method: m[1]!, path: m[2]!, operationId: m[3]!, status: Number(m[4]) });
    },
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      resolve({
        app,
        url: `http://127.0.0.1:${info.port}`,
        calls,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
