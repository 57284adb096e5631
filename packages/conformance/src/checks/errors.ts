import type { Answer } from "../http.js";
import { CheckSkipped, expect, expectStatus } from "../http.js";
import { type CapabilityModule, checks } from "./types.js";

/** An id no account has (the largest 32-bit id but a few). */
const UNKNOWN = 2147483000;

function expectProblem(answer: Answer, status: number | number[], what: string): void {
  expectStatus(answer, status, what);
  const body = answer.body as any;
  expect(
    body && typeof body === "object" && typeof body.title === "string",
    `${what}: a ${answer.status} must carry a problem body with a title`,
    answer.exchange,
  );
}

export const errors: CapabilityModule = {
  capability: "errors",
  build() {
    const c = checks();

    for (const [what, rest] of [
      ["agent", `/agent/${UNKNOWN}`],
      ["backup configuration", `/backup-configuration/${UNKNOWN}`],
      ["backup", `/backup/${UNKNOWN}`],
      ["backup report", `/backup/report/${UNKNOWN}`],
      ["restore", `/restore/${UNKNOWN}`],
      ["agent's activity", `/system/activity/${UNKNOWN}`],
    ] as const) {
      c.add(`an unknown ${what} answers 404 with a problem body`, async (ctx) => {
        const res = await ctx.given.api.call("GET", ctx.path(ctx.given, rest));
        expectProblem(res, 404, `GET ${rest}`);
      });
    }

    c.add("an agent host server that does not exist answers 404", async (ctx) => {
      const res = await ctx.given.api.call("GET", ctx.path(ctx.given, "/agent/server/00000000-0000-4000-8000-000000000000"));
      expectProblem(res, 404, "getAgentByHostServer of an unknown server");
    });

    c.add("a malformed id answers 400 or 404 with a problem body", async (ctx) => {
      for (const rest of ["/agent/not-a-number", "/backup/1.5", "/restore/-4"]) {
        const res = await ctx.given.api.call("GET", ctx.path(ctx.given, rest));
        expectProblem(res, [400, 404], `GET ${rest}`);
      }
    });

    c.add("a body that is not JSON answers 400 with a problem body", async (ctx) => {
      const res = await ctx.given.api.call("POST", ctx.path(ctx.given, "/backup-configuration"), {
        raw: '{"BackupConfigurationName": "broken",',
      });
      expectProblem(res, 400, "createBackupConfiguration with truncated JSON");
    });

    c.add("a missing required body answers 400", async (ctx) => {
      const res = await ctx.given.api.call("POST", ctx.path(ctx.given, "/agent/enable"), { raw: "", contentType: "application/json" });
      expectProblem(res, 400, "enableAgent without a body");
    });

    c.add("a body of the wrong media type answers a documented 4xx", async (ctx) => {
      const res = await ctx.given.api.call("POST", ctx.path(ctx.given, "/backup/action-requested"), {
        raw: "<Action>StartManual</Action>",
        contentType: "application/xml",
      });
      expect(
        res.status >= 400 && res.status < 500,
        `requestBackupAction with an XML body answered ${res.status}; expected a 4xx`,
        res.exchange,
      );
    });

    c.add("acting on an unknown id in a body answers 404 (or 400)", async (ctx) => {
      const res = await ctx.given.api.call("POST", ctx.path(ctx.given, "/backup/action-requested"), {
        body: { Action: "StartManual", Id: UNKNOWN },
      });
      expectProblem(res, [400, 404], "requestBackupAction StartManual of an unknown configuration");
      const restore = await ctx.given.api.call("POST", ctx.path(ctx.given, "/restore/action-requested"), {
        body: { Action: "StopManual", Id: UNKNOWN },
      });
      expectProblem(restore, [400, 404], "requestRestoreAction StopManual of an unknown restore");
    });

    c.add("an error's X-Request-Id matches its problem's requestId", async (ctx) => {
      const res = await ctx.given.api.call("GET", ctx.path(ctx.given, `/agent/${UNKNOWN}`));
      expectStatus(res, 404, "getAgent of an unknown agent");
      const id = res.headers.get("x-request-id");
      if (!id) throw new CheckSkipped("the 404 has no X-Request-Id header (documented, but optional)");
      const body = res.body as any;
      if (typeof body?.requestId === "string")
        expect(body.requestId === id, `the problem's requestId ${body.requestId} differs from X-Request-Id ${id}`, res.exchange);
    });

    return c.list;
  },
};
