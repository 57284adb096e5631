/**
 * The Node adapter (@hono/node-server) writes an answer straight to the socket only while it is
 * still the adapter's lightweight Response, body and plain headers kept as given. Anything that
 * reads its body or assigns `c.res` again turns it into a full web Response whose body is copied
 * through a stream: the same bytes, several times the work. This checks, without timing, that
 * the common answers stay on the direct path (the adapter marks those with a `cache` symbol).
 */
import { getRequestListener } from "@hono/node-server";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { describe, expect, it } from "vitest";
import { createServer } from "../src/index.js";
import { T0, weeklyConfig } from "./helpers.js";

// Installing a listener puts the adapter's Request and Response in place of the global ones.
getRequestListener(() => new Response(null));

const direct = (res: Response) => Object.getOwnPropertySymbols(res).some((s) => s.description === "cache");

async function call(app: ReturnType<typeof createServer>, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { "X-Auth-Token": "demo-token" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await app.fetch(
    new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
  );
  const onDirectPath = direct(res);
  const text = await res.text();
  expect(conformanceProblems(method, path, res.status, res.headers.get("content-type"), text), `${method} ${path}`).toEqual([]);
  return { status: res.status, onDirectPath };
}

describe.each([
  ["the default running clock", 1],
  ["a frozen clock", 0],
])("answers keep the adapter's direct path on %s", (_name, speed) => {
  const app = createServer({ clock: { start: T0, speed } });
  it("a read computed now, then the same read kept", async () => {
    expect(await call(app, "GET", "/v1.0/1234/agent/213564")).toEqual({ status: 200, onDirectPath: true });
    expect(await call(app, "GET", "/v1.0/1234/agent/213564")).toEqual({ status: 200, onDirectPath: true });
  });
  it("a list and a read without the tenant in the path", async () => {
    expect(await call(app, "GET", "/v1.0/1234/backup-configuration")).toEqual({ status: 200, onDirectPath: true });
    expect(await call(app, "GET", "/v1.0/user/agents")).toEqual({ status: 200, onDirectPath: true });
  });
  it("a write", async () => {
    expect(
      await call(app, "POST", "/v1.0/1234/backup-configuration", weeklyConfig(202743, { BackupConfigurationName: `direct path ${speed}` })),
    ).toEqual({ status: 200, onDirectPath: true });
  });
  it("a refused read", async () => {
    expect(await call(app, "GET", "/v1.0/1234/agent/999999")).toEqual({ status: 404, onDirectPath: true });
  });
});
