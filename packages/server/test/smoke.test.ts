import { describe, expect, it } from "vitest";
import { testServer } from "./helpers.js";

describe("smoke", () => {
  it("serves the default world", async () => {
    const { call } = testServer();
    const agents = await call("GET", "/v1.0/1234/user/agents");
    expect(agents.status).toBe(200);
    expect(agents.body.length).toBe(4);
    const configs = await call("GET", "/v1.0/1234/backup-configuration");
    expect(configs.body.length).toBe(3);
    const activity = await call("GET", "/v1.0/1234/activity");
    expect(activity.body.length).toBeGreaterThan(10);
    for (const path of [
      "/v1.0/1234/backup/availableforrestore",
      "/v1.0/agent/213564",
      "/v1.0/1234/agent/server/87c3b6e1-fb1a-41f9-91e5-313ae35a5a06",
    ]) {
      expect((await call("GET", path)).status).toBe(200);
    }
    const first = activity.body.find((a: any) => a.Type === "Backup");
    expect((await call("GET", `/v1.0/1234/backup/report/${first.ID}`)).status).toBe(200);
    const restore = activity.body.find((a: any) => a.Type === "Restore");
    expect((await call("GET", `/v1.0/1234/restore/report/${restore.ID}`)).status).toBe(200);
    expect((await call("GET", `/v1.0/1234/restore/${restore.ID}`)).status).toBe(200);
  });
});
