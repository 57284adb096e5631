import fc from "fast-check";
import { type GeneratedRequest, type IdPools, type MutationKind, mutate, SchemaArbitraries } from "../arbitraries.js";
import { type Account, type CapabilityContext, restorePath } from "../context.js";
import { type Answer, CheckFailure, describeExchange, type Exchange } from "../http.js";
import type { Operation } from "../spec.js";
import { createManualConfiguration, runBackup } from "../steps.js";
import { type CapabilityModule, checks } from "./types.js";

/** Operations whose valid requests could change an account for good; left out outside a fresh tenant. */
const DESTRUCTIVE = new Set([
  "deleteAgent",
  "migrateVault",
  "enableVolumeEncryption",
  "changeEncryptionPassword",
  "enableAgent",
  "deleteBackupConfiguration",
  "changeAgentLogLevel",
  "updateAgentBackupBehavior",
]);

/** Shared across the capability's checks: the account, id pools and the request counter. */
interface Shared {
  account: Account;
  pools: IdPools;
}

async function collectPools(ctx: CapabilityContext, account: Account): Promise<IdPools> {
  const pools: IdPools = { agent: [], configuration: [], backup: [], restore: [], restoreFile: [], hostServer: [] };
  const agents = await ctx.agents(account);
  pools.agent = agents.map((a) => a.id);
  pools.hostServer = agents.map((a) => a.raw.HostServerId).filter((h): h is string => typeof h === "string");
  if (account.fresh && agents.length) {
    // Give the generated requests something to find: a configuration, a backup and a restore.
    // Best effort: whether backups finish is the backups capability's business, not this one's.
    try {
      const agent = agents.find((a) => !a.isEncrypted) ?? agents[0]!;
      const config = await createManualConfiguration(ctx, account, agent, "conformance robustness");
      const run = await runBackup(ctx, account, config.BackupConfigurationId);
      await account.api.call("PUT", ctx.path(account, "/restore"), {
        body: {
          BackupId: run.backupId,
          BackupMachineId: agent.id,
          DestinationMachineId: agent.id,
          DestinationPath: restorePath(agent),
          OverwriteFiles: false,
        },
        conform: false,
      });
    } catch {
      // Fewer known ids: the generated requests then mostly meet 404s, which is still a test.
    }
  }
  const configs = await account.api.call("GET", ctx.path(account, "/backup-configuration"));
  if (Array.isArray(configs.body)) pools.configuration = configs.body.map((c: any) => c.BackupConfigurationId).filter(Number.isInteger);
  const activity = await account.api.call("GET", ctx.path(account, "/activity"));
  if (Array.isArray(activity.body)) {
    pools.backup = [...new Set(activity.body.filter((x: any) => x.Type === "Backup").map((x: any) => x.ID as number))].slice(0, 20);
    pools.restore = [...new Set(activity.body.filter((x: any) => x.Type === "Restore").map((x: any) => x.ID as number))].slice(0, 20);
  }
  return pools;
}

function describeRequest(request: GeneratedRequest): string {
  const lines = [`${request.method} ${request.path} (${request.operationId})`];
  if (request.mutation) lines.push(`  broken on purpose: ${request.mutation}`);
  if (request.raw !== undefined) lines.push(`  raw body: ${request.raw.slice(0, 300)}`);
  else if (request.body !== undefined) lines.push(`  body: ${JSON.stringify(request.body).slice(0, 600)}`);
  return lines.join("\n");
}

interface PropertyRun {
  requests: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
}

/**
 * Runs one property with fast-check (seeded), sending each generated request. On failure,
 * reports the shrunk counterexample and the answer it got.
 */
async function runProperty(
  ctx: CapabilityContext,
  shared: Shared,
  label: string,
  seedOffset: number,
  numRuns: number,
  arbitrary: fc.Arbitrary<GeneratedRequest>,
  judge: (request: GeneratedRequest, answer: Answer) => string | undefined,
): Promise<PropertyRun> {
  const run: PropertyRun = { requests: 0, statuses: {} };
  let lastFailure: { request: GeneratedRequest; message: string; exchange?: Exchange } | undefined;
  const seed = (ctx.options.seed + seedOffset) | 0;
  const property = fc.asyncProperty(arbitrary, async (request) => {
    run.requests++;
    ctx.generatedRequests++;
    let answer: Answer;
    try {
      answer = await shared.account.api.call(request.method, request.path, {
        ...(request.raw !== undefined ? { raw: request.raw } : request.body !== undefined ? { body: request.body } : {}),
        conform: false,
      });
    } catch (error) {
      const failure = error as CheckFailure;
      lastFailure = { request, message: failure.message, exchange: failure.exchange };
      return false;
    }
    run.statuses[answer.status] = (run.statuses[answer.status] ?? 0) + 1;
    const verdict = judge(request, answer);
    if (verdict) {
      lastFailure = { request, message: verdict, exchange: answer.exchange };
      return false;
    }
    return true;
  });
  const details = await fc.check(property, { seed, numRuns, plugins: [fc.interruptAfterTimeLimit(60_000)] });
  if (details.failed && lastFailure) {
    throw new CheckFailure(
      [
        `${label}: failed after ${details.numRuns} generated request(s) and ${details.numShrinks} shrink step(s) (seed ${seed}${details.counterexamplePath ? `, path ${details.counterexamplePath}` : ""}).`,
        `Shrunk counterexample:`,
        describeRequest(lastFailure.request),
        `Problem: ${lastFailure.message}`,
        ...(lastFailure.exchange ? [`Exchange:`, describeExchange(lastFailure.exchange, 600)] : []),
        `Reproduce with: --only robustness --seed ${ctx.options.seed}`,
      ].join("\n"),
      lastFailure.exchange,
    );
  }
  if (details.failed)
    throw new CheckFailure(
      `${label}: fast-check stopped (${String(details.errorInstance ?? "interrupted")}) after ${details.numRuns} runs (seed ${seed})`,
    );
  return run;
}

const isDocumented = (answer: Answer) => answer.operation?.statuses.includes(answer.status) ?? false;

export const robustness: CapabilityModule = {
  capability: "robustness",
  build() {
    const c = checks();
    let shared: Promise<Shared> | undefined;

    const setup = (ctx: CapabilityContext): Promise<Shared> =>
      (shared ??= (async () => {
        const account = await ctx.account();
        return { account, pools: await collectPools(ctx, account) };
      })());

    const generator = (ctx: CapabilityContext, s: Shared) =>
      new SchemaArbitraries({
        spec: ctx.spec,
        tenant: s.account.tenantId,
        pools: s.pools,
        usePools: (op) => s.account.fresh || op.method === "GET",
        farIds: !s.account.fresh,
      });

    /** The operations valid requests may go to. */
    const validOperations = (ctx: CapabilityContext, s: Shared): Operation[] =>
      ctx.spec.operations.filter((op) => s.account.fresh || !DESTRUCTIVE.has(op.operationId));

    c.add("valid requests generated from the schemas never answer 5xx", async (ctx) => {
      const s = await setup(ctx);
      const gen = generator(ctx, s);
      const ops = validOperations(ctx, s);
      const arbitrary = fc
        .constantFrom(...ops)
        .chain((op) => gen.request(op))
        .filter((req) => {
          const op = ctx.spec.operation(req.operationId);
          return ctx.spec.requestBodyErrors(op, req.body) === undefined;
        });
      const run = await runProperty(ctx, s, "valid requests", 0, ctx.options.runs * 2, arbitrary, (_req, answer) => {
        if (answer.status >= 500) return `a valid request answered ${answer.status}`;
        if (answer.problems.length) return `the answer does not conform to the description: ${answer.problems.join("; ")}`;
        return undefined;
      });
      return { details: { generatedRequests: run.requests, operations: ops.length, statuses: run.statuses } };
    });

    const invalid = (kind: MutationKind, title: string, seedOffset: number) =>
      c.add(title, async (ctx) => {
        const s = await setup(ctx);
        const gen = generator(ctx, s);
        // Invalid requests must be refused before they do anything, so every operation takes part.
        const ops = ctx.spec.operations.filter((op) => {
          if (kind === "malformed-json" || kind === "missing-required") return Boolean(op.requestSchema);
          return op.pathParams.some((p) => p.name !== "tenant_id") || Boolean(op.requestSchema);
        });
        const arbitrary = fc
          .constantFrom(...ops)
          .chain((op) => gen.request(op).map((req) => ({ op, req })))
          .chain(({ op, req }) => mutate(ctx.spec, op, kind, req) ?? fc.constant(undefined))
          .filter((req): req is GeneratedRequest => req !== undefined)
          .filter((req) => {
            // Keep only requests the description rejects (a mutation of the body must make it invalid).
            if (req.raw !== undefined || req.mutation?.startsWith("path")) return true;
            return ctx.spec.requestBodyErrors(ctx.spec.operation(req.operationId), req.body) !== undefined;
          });
        const run = await runProperty(ctx, s, title, seedOffset, ctx.options.runs, arbitrary, (req, answer) => {
          if (answer.status < 400 || answer.status >= 500)
            return `an invalid request (${req.mutation}) answered ${answer.status}; expected a documented 4xx`;
          if (!isDocumented(answer)) return `${req.operationId} answered ${answer.status}, which it does not document`;
          if (!answer.text.trim()) return `the ${answer.status} has no error body`;
          if (answer.problems.length) return `the error answer does not conform to the description: ${answer.problems.join("; ")}`;
          return undefined;
        });
        return { details: { generatedRequests: run.requests, operations: ops.length, statuses: run.statuses } };
      });

    invalid("wrong-type", "values of the wrong type answer a documented 4xx with an error body", 1);
    invalid("out-of-range", "out-of-range values answer a documented 4xx with an error body", 2);
    invalid("missing-required", "missing required fields answer a documented 4xx with an error body", 3);
    invalid("malformed-json", "malformed JSON bodies answer a documented 4xx with an error body", 4);

    return c.list;
  },
};
