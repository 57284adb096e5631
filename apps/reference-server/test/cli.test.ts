import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformanceProblems } from "@cloud-backup/spec/validate";
import { parseArgs } from "../src/main.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

describe("parseArgs", () => {
  const cases: Array<{ given: string[]; env?: Record<string, string>; want: unknown }> = [
    { given: [], want: { port: 4010, host: "127.0.0.1", clockSpeed: 1, quiet: false } },
    { given: [], env: { PORT: "5001" }, want: { port: 5001 } },
    { given: ["--port", "7000", "--host", "0.0.0.0", "--clock-speed", "60"], want: { port: 7000, host: "0.0.0.0", clockSpeed: 60 } },
    { given: ["--help"], want: "help" },
  ];
  it.each(cases)("parses $given", ({ given, env, want }) => {
    const got = parseArgs(given, env ?? {});
    if (typeof want === "string") expect(got).toBe(want);
    else expect(got).toMatchObject(want as object);
  });

  it.each([[["--port", "x"]], [["--clock-speed", "-1"]], [["--bogus"]], [["--port"]]])("rejects %j", (given) => {
    expect(() => parseArgs(given as string[], {})).toThrow();
  });
});

describe("the CLI over a real socket", () => {
  let child: ChildProcess;
  let url = "";
  let output = "";

  beforeAll(async () => {
    child = spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${output}`)), 15_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/[^\s]+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
  }, 20_000);

  afterAll(() => {
    child?.kill("SIGTERM");
  });

  async function get(path: string, token = "demo-token") {
    const res = await fetch(url + path, { headers: { "X-Auth-Token": token } });
    const text = await res.text();
    expect(conformanceProblems("GET", path, res.status, res.headers.get("content-type"), text)).toEqual([]);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it("prints the demo account and a working curl line", async () => {
    expect(output).toContain("tenant 1234");
    expect(output).toContain("demo-token");
    const curl = /curl -s -H 'X-Auth-Token: ([^']+)' (\S+)/.exec(output);
    expect(curl).not.toBeNull();
    const res = await fetch(curl![2]!, { headers: { "X-Auth-Token": curl![1]! } });
    expect(res.status).toBe(200);
  });

  it("answers the API and the control API", async () => {
    expect((await get("/v1.0/1234/user/agents")).body).toHaveLength(4);
    expect((await get("/v1.0/1234/agent/999999")).status).toBe(404);
    expect((await get("/v1.0/1234/user/agents", "nope")).status).toBe(401);
    const health = await fetch(`${url}/__admin/health`);
    expect(health.status).toBe(200);
  });

  it("logs one line per request without the token", async () => {
    await get("/v1.0/1234/activity");
    await new Promise((r) => setTimeout(r, 100));
    expect(output).toMatch(/GET \/v1\.0\/1234\/activity listActivity 200 [\d.]+ms/);
    expect(output.split("\n").filter((l) => l.includes("listActivity")).join("\n")).not.toContain("demo-token");
  });

  it("shuts down cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
