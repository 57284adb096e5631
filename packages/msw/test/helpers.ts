import type { RequestHandler } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { cloudBackupHandlers, type CloudBackupHandlersOptions } from "../src/index.js";

/** One exchange MSW answered from the simulation. */
export interface Exchange {
  method: string;
  url: string;
  status: number;
}

/**
 * An `msw/node` server for handlers, with every answer checked against the descriptions
 * (status documented, content type, body valid with undeclared properties treated as errors)
 * and recorded, and every request no handler answered recorded too. `basePaths`: the paths of
 * base URLs that have one (`/proxy` of `http://host/proxy`), taken off before the check. `check()` waits for the
 * checks, fails on any problem and clears the records.
 */
export function checkedServer(handlers: RequestHandler[], basePaths: string[] = []) {
  const server = setupServer(...handlers);
  /** The path the simulation saw: without the base URL's own path. */
  const pathOf = (url: string) => {
    const { pathname } = new URL(url);
    const base = basePaths.find((p) => p && pathname.startsWith(`${p}/`));
    return base ? pathname.slice(base.length) : pathname;
  };
  const exchanges: Exchange[] = [];
  const problems: string[] = [];
  const pending: Promise<void>[] = [];
  const unhandled: string[] = [];
  server.events.on("response:mocked", ({ request, response }) => {
    const copy = response.clone();
    pending.push(
      copy.text().then((text) => {
        exchanges.push({ method: request.method, url: request.url, status: response.status });
        // A dropped connection (Prefer: fault=reset) has no answer to check.
        if (response.type === "error") return;
        problems.push(
          ...conformanceProblems(request.method, pathOf(request.url), response.status, response.headers.get("content-type"), text),
        );
      }),
    );
  });
  server.events.on("request:unhandled", ({ request }) => {
    unhandled.push(`${request.method} ${request.url}`);
  });
  /** Waits until every answer so far is checked; returns the exchanges. */
  const settled = async () => {
    await Promise.all(pending.splice(0));
    return exchanges;
  };
  const check = async (options: { unhandled?: string[] } = {}) => {
    await settled();
    expect(problems.splice(0), "answers outside the descriptions").toEqual([]);
    expect(unhandled.splice(0), "requests no handler answered").toEqual(options.unhandled ?? []);
    exchanges.length = 0;
  };
  return { server, exchanges, settled, check };
}

/**
 * `cloudBackupHandlers()` in `msw/node` for one test file: listening for the whole file with
 * `onUnhandledRequest: "error"`, every answer checked (see `checkedServer`) after each test,
 * then `handlers.reset()`.
 */
export function useCloudBackup(options: CloudBackupHandlersOptions = {}) {
  const handlers = cloudBackupHandlers(options);
  const { server, exchanges, settled, check } = checkedServer(handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(async () => {
    await check();
    server.resetHandlers();
    handlers.reset();
  });
  afterAll(() => server.close());
  return { handlers, server, exchanges, settled };
}

/** A valid manual (unscheduled) configuration body for a Linux agent. */
export function manualConfig(agentId: number, name = "Manual Website Backup (test)") {
  return {
    MachineAgentId: agentId,
    BackupConfigurationName: name,
    IsActive: true,
    VersionRetention: 30 as const,
    MissedBackupActionId: 1 as const,
    Frequency: "Manually" as const,
    StartTimeHour: null,
    StartTimeMinute: null,
    StartTimeAmPm: null,
    DayOfWeekId: null,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "ops@example.com",
    NotifySuccess: false,
    NotifyFailure: true,
    Inclusions: [{ FilePath: "/var/www/html", FileItemType: "Folder" as const }],
    Exclusions: [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" as const }],
  };
}

/** The demo world's account. */
export const DEMO = { tenantId: "1234", token: "demo-token", username: "demo", apiKey: "demo-api-key", password: "demo-password" } as const;
export const WEB2 = 202743; // Linux "web2", online
export const WEB_SERVER = 213564; // Windows "Web Server", online
