/**
 * `cloudBackupHandlers(options)`: other base URLs and Identity URLs, the seed, the clock's
 * start, the admin token, and the options it refuses. One MSW server per test.
 */
import { describe, expect, it } from "vitest";
import { cloudBackupHandlers, type CloudBackupHandlersOptions } from "../src/index.js";
import { checkedServer, DEMO } from "./helpers.js";

const json = (body: unknown) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** Runs `body` with the handlers listening, then checks every answer against the descriptions. */
async function withHandlers(
  options: CloudBackupHandlersOptions,
  body: (handlers: ReturnType<typeof cloudBackupHandlers>) => Promise<void>,
  unhandled: string[] = [],
) {
  const handlers = cloudBackupHandlers(options);
  const { server, check } = checkedServer(
    handlers,
    handlers.baseUrls.map((url) => new URL(url).pathname.replace(/\/$/, "")),
  );
  server.listen({ onUnhandledRequest: "error" });
  try {
    await body(handlers);
    await check({ unhandled });
  } finally {
    server.close();
  }
  return handlers;
}

describe("cloudBackupHandlers(options)", () => {
  it("answers other base URLs (with a path prefix too) and other Identity URLs, and its catalog names them", async () => {
    const start = Date.UTC(2030, 0, 1);
    const handlers = await withHandlers(
      { baseUrls: ["http://backup.test/proxy/"], identityUrls: ["http://identity.test"], clock: { start } },
      async (h) => {
        expect(h.baseUrls).toEqual(["http://backup.test/proxy"]);
        const res = await fetch(
          "http://identity.test/v2.0/tokens",
          json({ auth: { passwordCredentials: { username: DEMO.username, password: DEMO.password } } }),
        );
        expect(res.status).toBe(200);
        const { access } = (await res.json()) as { access: any };
        const urls = access.serviceCatalog.find((s: any) => s.type === "rax:backup").endpoints.map((e: any) => e.publicURL);
        expect(new Set(urls)).toEqual(new Set([`http://backup.test/proxy/v1.0/${DEMO.tenantId}`]));
        const agents = await fetch(`http://backup.test/proxy/v1.0/${DEMO.tenantId}/user/agents`, {
          headers: { "X-Auth-Token": access.token.id },
        });
        expect(agents.status).toBe(200);
        // Identity answers on the base URL too, as on the reference server.
        expect(
          (
            await fetch(
              "http://backup.test/proxy/v2.0/tokens",
              json({ auth: { passwordCredentials: { username: DEMO.username, password: DEMO.password } } }),
            )
          ).status,
        ).toBe(200);
        const clock = (await (await fetch("http://backup.test/proxy/__admin/clock")).json()) as { iso: string; speed: number };
        expect(clock).toMatchObject({ iso: "2030-01-01T00:00:00.000Z", speed: 0 });
        // The real hosts are not answered by these handlers.
        await expect(fetch("https://dfw.backup.api.rackspacecloud.com/v1.0/user/agents")).rejects.toThrow();
      },
      ["GET https://dfw.backup.api.rackspacecloud.com/v1.0/user/agents"],
    );
    expect(handlers.clock.now()).toBe(start);
  });

  it("mixes the defaults with another base URL: the catalog keeps the real hosts", async () => {
    await withHandlers({ baseUrls: ["https://dfw.backup.api.rackspacecloud.com", "http://localhost:4010"] }, async () => {
      const res = await fetch(
        "https://identity.api.rackspacecloud.com/v2.0/tokens",
        json({ auth: { "RAX-KSKEY:apiKeyCredentials": { username: DEMO.username, apiKey: DEMO.apiKey } } }),
      );
      const { access } = (await res.json()) as { access: any };
      const byRegion = Object.fromEntries(
        access.serviceCatalog.find((s: any) => s.type === "rax:backup").endpoints.map((e: any) => [e.region ?? "global", e.publicURL]),
      );
      expect(byRegion.DFW).toBe(`https://dfw.backup.api.rackspacecloud.com/v1.0/${DEMO.tenantId}`);
      // Hosts not answered here fall back to the first base URL.
      expect(byRegion.ORD).toBe(`https://dfw.backup.api.rackspacecloud.com/v1.0/${DEMO.tenantId}`);
      expect(byRegion.global).toBe(`https://dfw.backup.api.rackspacecloud.com/v1.0/${DEMO.tenantId}`);
      expect((await fetch(`http://localhost:4010/v1.0/user/agents`, { headers: { "X-Auth-Token": access.token.id } })).status).toBe(200);
    });
  });

  it("runs the clock when given a speed", async () => {
    await withHandlers({ clock: { speed: 3600 } }, async (h) => {
      expect(h.clock.speed).toBe(3600);
      const before = h.clock.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(h.clock.now()).toBeGreaterThan(before);
    });
  });

  it("starts from an empty world, and requires the admin token when one is set", async () => {
    await withHandlers({ seed: "empty", adminToken: "s3cret", baseUrls: ["http://empty.test"], identityUrls: [] }, async (h) => {
      expect(h).toHaveLength(1);
      expect(h.world.tenants.size).toBe(0);
      expect((await fetch("http://empty.test/__admin/clock")).status).toBe(401);
      const tenant = await fetch("http://empty.test/__admin/tenants", { method: "POST", headers: { "X-Admin-Token": "s3cret" } });
      expect(tenant.status).toBe(201);
      expect(h.world.tenants.size).toBe(1);
    });
  });

  it("keeps the worlds of two sets of handlers apart", async () => {
    const a = cloudBackupHandlers();
    const b = cloudBackupHandlers();
    a.clock.advance(60);
    expect(b.clock.now()).toBeLessThan(a.clock.now());
    expect(a.world).not.toBe(b.world);
  });

  it("refuses base URLs it cannot answer", () => {
    expect(() => cloudBackupHandlers({ baseUrls: [] })).toThrow(/at least one/);
    expect(() => cloudBackupHandlers({ baseUrls: ["http://x.test/?a=1"] })).toThrow(/not a base URL/);
    expect(() => cloudBackupHandlers({ baseUrls: ["not a url"] })).toThrow(TypeError);
  });
});
