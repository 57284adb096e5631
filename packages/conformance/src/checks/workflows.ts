import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Account, type AgentInfo, type CapabilityContext, includePath, restorePath, uniqueName } from "../context.js";
import { encryptPassphrase } from "@cloud-backup/spec/crypto";
import { CheckFailure, CheckSkipped, expectStatus } from "../http.js";
import type { CapabilityModule, CheckDefinition } from "./types.js";

/** The workflow files the kit knows how to feed, in the order it runs them. */
const WORKFLOW_FILES = ["getting-started.arazzo.yaml", "backup-and-restore.arazzo.yaml", "encryption.arazzo.yaml"] as const;

const here = dirname(fileURLToPath(import.meta.url));

/** Looks for `relative` in `start` and each of its parents. */
function findUp(start: string, relative: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function findRedocly(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const bin = process.platform === "win32" ? "node_modules/.bin/redocly.cmd" : "node_modules/.bin/redocly";
  return findUp(process.cwd(), bin) ?? findUp(here, bin);
}

export function findArazzoDir(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? resolve(explicit) : undefined;
  for (const start of [process.cwd(), here]) {
    const dir = findUp(start, "openapi/arazzo");
    if (dir && readdirSync(dir).some((f) => f.endsWith(".arazzo.yaml"))) return dir;
  }
  return undefined;
}

interface RespectOutcome {
  code: number | null;
  output: string;
  json?: any;
  timedOut: boolean;
}

async function runRespect(
  redocly: string,
  file: string,
  server: string,
  inputs: Record<string, unknown>,
  timeoutSeconds: number,
): Promise<RespectOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "cloud-backup-conformance-"));
  const jsonPath = join(dir, "respect.json");
  try {
    const args = [
      "respect",
      file,
      "--server",
      `cloudBackup=${server}`,
      "--input",
      JSON.stringify(inputs),
      "--json-output",
      jsonPath,
      "--max-fetch-timeout",
      "30000",
    ];
    const child = spawn(redocly, args, {
      cwd: dirname(file),
      env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
    }, timeoutSeconds * 1000);
    const code = await new Promise<number | null>((done) => {
      child.on("close", (c) => done(c));
      child.on("error", (error) => {
        output += `\n${error.message}`;
        done(null);
      });
    });
    clearTimeout(timer);
    let json: any;
    if (existsSync(jsonPath)) {
      try {
        json = JSON.parse(readFileSync(jsonPath, "utf8"));
      } catch {
        json = undefined;
      }
    }
    return { code, output, json, timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The failed steps of a Respect JSON report, readable. */
function failedSteps(json: any): string[] {
  const out: string[] = [];
  const visit = (steps: any[], workflowId: string) => {
    for (const step of steps ?? []) {
      if (step?.type === "workflow" || Array.isArray(step?.executedSteps)) {
        visit(step.executedSteps, step.workflowId ?? workflowId);
        continue;
      }
      const failed = (step?.checks ?? []).filter((c: any) => c && c.passed === false);
      if (!failed.length || (step.retriesLeft ?? 0) > 0) continue;
      const status = step.response?.statusCode;
      const where = `${workflowId} › ${step.stepId}${step.request ? ` (${String(step.request.method).toUpperCase()} ${step.request.url} → ${status ?? "no answer"})` : ""}`;
      const why = failed
        .map(
          (c: any) =>
            `${c.name}: ${String(c.message ?? c.condition ?? "")
              .replace(/\s+/g, " ")
              .slice(0, 240)}`,
        )
        .join("; ");
      const body = step.response?.body !== undefined ? ` body: ${JSON.stringify(step.response.body).slice(0, 300)}` : "";
      out.push(`${where}: ${why}${body}`);
    }
  };
  for (const file of Object.values<any>(json?.files ?? {})) {
    for (const workflow of file.executedWorkflows ?? [])
      if (workflow.status !== "success") visit(workflow.executedSteps ?? [], workflow.workflowId);
  }
  return out;
}

/** Moves the virtual clock while a workflow runs, so its polling sees time pass. */
function tickClock(ctx: CapabilityContext): () => Promise<void> {
  if (!ctx.control) return async () => {};
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 250));
      if (!running) break;
      try {
        await ctx.control!.advance(20);
      } catch {
        // The workflow reports what matters; a failed tick only slows it down.
      }
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

async function agentsFor(ctx: CapabilityContext, account: Account, count: number): Promise<AgentInfo[]> {
  return ctx.usableAgents(account, count, { unencrypted: true });
}

type Inputs = (ctx: CapabilityContext) => Promise<{ account: Account; inputs: Record<string, unknown> }>;

const INPUTS: Record<(typeof WORKFLOW_FILES)[number], Inputs> = {
  "getting-started.arazzo.yaml": async (ctx) => {
    const account = ctx.control ? await ctx.newTenant({ agents: 2 }) : ctx.given;
    const [agent] = await agentsFor(ctx, account, 1);
    return {
      account,
      inputs: {
        token: account.token,
        tenant: account.tenantId,
        agentId: agent!.id,
        includePath: includePath(agent!),
        configurationName: uniqueName("conformance arazzo"),
      },
    };
  },
  "backup-and-restore.arazzo.yaml": async (ctx) => {
    const account = ctx.control ? await ctx.newTenant({ agents: 2 }) : ctx.given;
    const [source, destination] = await agentsFor(ctx, account, 2);
    return {
      account,
      inputs: {
        token: account.token,
        tenant: account.tenantId,
        sourceAgentId: source!.id,
        destinationAgentId: destination!.id,
        includePath: includePath(source!),
        destinationPath: restorePath(destination!),
        configurationName: uniqueName("conformance arazzo restore"),
      },
    };
  },
  "encryption.arazzo.yaml": async (ctx) => {
    if (!ctx.control) throw new CheckSkipped("encryption cannot be undone; this workflow runs only in a fresh tenant (give --admin-url)");
    const account = await ctx.newTenant({ agents: 1 });
    const [agent] = await agentsFor(ctx, account, 1);
    const read = await account.api.call("GET", ctx.path(account, `/agent/${agent!.id}`));
    expectStatus(read, 200, `getAgent ${agent!.id}`);
    const key = (read.body as any).PublicKey;
    return {
      account,
      inputs: {
        token: account.token,
        tenant: account.tenantId,
        agentId: agent!.id,
        encryptedPassphrase: encryptPassphrase(key, "conformance first passphrase"),
        newEncryptedPassphrase: encryptPassphrase(key, "conformance second passphrase"),
      },
    };
  },
};

export const workflows: CapabilityModule = {
  capability: "workflows",
  build() {
    return WORKFLOW_FILES.map(
      (file): CheckDefinition => ({
        name: `${file} passes under Redocly Respect`,
        async run(ctx) {
          if (ctx.options.inProcess)
            throw new CheckSkipped("the server is reached through an in-process fetch, which the redocly CLI (another process) cannot use");
          const redocly = findRedocly(ctx.options.redocly);
          if (!redocly) throw new CheckSkipped("no redocly CLI found in node_modules/.bin (install @redocly/cli, or pass --redocly PATH)");
          const dir = findArazzoDir(ctx.options.arazzoDir);
          if (!dir) throw new CheckSkipped("no openapi/arazzo directory found (pass --arazzo-dir DIR)");
          const path = join(dir, file);
          if (!existsSync(path)) throw new CheckSkipped(`${path} does not exist`);
          const { account, inputs } = await INPUTS[file](ctx);
          if (ctx.control) {
            // Wake the agents ahead of the journey and let the wake-up delay pass on the virtual
            // clock, so that the journey's own start does not have to sit out 403s in real time.
            // Best effort: a failing wake-up is the journey's to report.
            await account.api.call("POST", ctx.path(account, "/user/wakeupagents"), { conform: false }).catch(() => undefined);
            await ctx.pass(20);
          }
          const stop = tickClock(ctx);
          let outcome: RespectOutcome;
          try {
            outcome = await runRespect(redocly, path, ctx.options.baseUrl.replace(/\/+$/, ""), inputs, ctx.options.workflowTimeoutSeconds);
          } finally {
            await stop();
          }
          if (outcome.timedOut)
            throw new CheckFailure(`redocly respect ${file} did not finish within ${ctx.options.workflowTimeoutSeconds} seconds`);
          const status = outcome.json?.status;
          if (outcome.code === 0 && status !== "error") {
            const file0 = Object.values<any>(outcome.json?.files ?? {})[0];
            return { details: { requests: file0?.totalRequests, exitCode: outcome.code } };
          }
          const steps = outcome.json ? failedSteps(outcome.json) : [];
          const tail = outcome.output
            .replace(/\u001b\[[0-9;]*m/g, "")
            .split("\n")
            .filter((l) => l.trim() && !/[║╔╚]/.test(l))
            .slice(-15)
            .join("\n");
          throw new CheckFailure(
            [
              `redocly respect ${file} exited ${outcome.code}${status ? ` (status ${status})` : ""}.`,
              ...(steps.length ? ["Failed steps:", ...steps.map((s) => `  ${s}`)] : ["Output:", tail]),
            ].join("\n"),
          );
        },
      }),
    );
  },
};
