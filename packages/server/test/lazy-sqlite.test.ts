/**
 * A server without a data file never loads better-sqlite3 (its native module costs start-up
 * time, and the in-memory server needs no native build); one with a data file loads it then.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const loaded = () => Object.keys(require.cache).some((file) => file.includes("/better-sqlite3/"));

describe("better-sqlite3 is loaded on first use", () => {
  it("not by importing the Node entry and serving in memory, then when a data file is opened", async () => {
    const { createServer } = await import("../src/node/index.js");
    const memory = createServer({});
    const res = await memory.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
    expect(res.status).toBe(200);
    expect(loaded()).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), "cloud-backup-lazy-"));
    try {
      const durable = createServer({ data: join(dir, "world.db") });
      expect(loaded()).toBe(true);
      durable.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
