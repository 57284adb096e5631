/** The optional `internal` capability: run only when asked, it passes against the reference server and fails without the endpoints. */
import { createServer } from "@cloud-backup/server";
import { describe, expect, test } from "vitest";
import { runConformance } from "../src/index.js";

const T0 = Date.UTC(2026, 6, 1, 12, 0, 0);

function run(
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
  options: { only?: ["internal"] | ["auth"]; include?: ["internal"] } = {},
) {
  return runConformance({
    baseUrl: "http://reference.test",
    adminUrl: "http://reference.test",
    token: "demo-token",
    tenant: "1234",
    fetch,
    ...options,
  });
}

describe("--include internal", () => {
  test("is left out unless asked for", async () => {
    const app = createServer({ clock: { start: T0, speed: 0 } });
    const report = await run(async (input, init) => app.fetch(new Request(input, init)), { only: ["auth"] });
    expect(report.capabilities.map((c) => c.capability)).toEqual(["auth"]);
  });

  test("passes against the reference server, with every answer checked against internal.yaml", async () => {
    const app = createServer({ clock: { start: T0, speed: 0 } });
    // Forty days on, the demo account has Cleanup activities to report on.
    await app.request("/__admin/clock/advance", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ seconds: 40 * 86_400 }),
    });
    const report = await run(async (input, init) => app.fetch(new Request(input, init)), { only: ["internal"] });
    const failed = report.checks.filter((c) => c.status !== "passed");
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(report.checks.length).toBe(6);
  });

  test("fails against a server without the internal endpoints", async () => {
    const app = createServer({ clock: { start: T0, speed: 0 } });
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname;
      if (
        /\/agent\/(logging|configuration|busy|requestlog|logfiles|events)\/\d+$|\/cleanup\/report\//.test(path) &&
        !(request.method === "PUT")
      ) {
        return new Response(
          JSON.stringify({ type: "about:blank", title: "Not Found", status: 404, detail: "none", instance: path, requestId: "x" }),
          { status: 404, headers: { "content-type": "application/problem+json" } },
        );
      }
      return app.fetch(request);
    };
    const report = await run(fetch, { include: ["internal"] });
    const internal = report.capabilities.find((c) => c.capability === "internal");
    expect(internal?.failed).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
