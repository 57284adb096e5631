/**
 * What a check works with: accounts (the given one, or fresh tenants from the control API),
 * time (the virtual clock when there is a control API, bounded polling otherwise), agents,
 * and a clean-up list.
 */
import { ApiClient, type Answer, CheckFailure, CheckSkipped, expectStatus, type FetchLike, type HttpOptions, joinUrl } from "./http.js";
import type { Spec } from "./spec.js";
import { document, lifecycles, restoreStateId } from "@cloud-backup/spec";

export interface ResolvedOptions {
  baseUrl: string;
  token: string;
  tenant: string;
  adminUrl?: string;
  adminToken?: string;
  seed: number;
  runs: number;
  fetch: FetchLike;
  /** True when `fetch` was given (in-process): nothing outside this process can reach the server. */
  inProcess: boolean;
  requestTimeoutMs: number;
  /** Real seconds a wait may take without a control API. */
  waitTimeoutSeconds: number;
  /** Virtual seconds a wait may take with a control API. */
  virtualWaitSeconds: number;
  pollIntervalMs: number;
  arazzoDir?: string;
  redocly?: string;
  workflowTimeoutSeconds: number;
}

/** An account the checks act in. */
export interface Account {
  tenantId: string;
  token: string;
  api: ApiClient;
  /** True for a tenant created for this run through the control API. */
  fresh: boolean;
  /** Other tokens of a fresh tenant, by role. */
  tokens: Record<string, string>;
}

export interface AgentInfo {
  id: number;
  name: string;
  windows: boolean;
  isEncrypted: boolean;
  isDisabled: boolean;
  raw: Record<string, any>;
}

// The lifecycles come from the description (`x-lifecycle` on the state schemas).
export const TERMINAL_BACKUP_STATES: readonly string[] = lifecycles.BackupState.terminal;
export const RESTORABLE_BACKUP_STATES: readonly string[] = lifecycles.BackupState.restorable;
/** The states a backup moves through before a terminal one, in order. */
export const BACKUP_ORDER: readonly string[] = lifecycles.BackupState.order;
export const TERMINAL_RESTORE_STATES: readonly number[] = lifecycles.RestoreState.terminal.map(restoreStateId);
/** The `RestoreStateId`s a restore moves through before a terminal one, in order. */
export const RESTORE_ORDER: readonly number[] = lifecycles.RestoreState.order.map(restoreStateId);
/** Restore state names by `RestoreStateId`, as the description lists them. */
export const RESTORE_STATE_NAMES: readonly string[] = document.components.schemas.RestoreState.enum;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The reference server's control API (`openapi/admin.yaml`), as far as the kit uses it. */
export class ControlApi {
  constructor(
    private readonly url: string,
    private readonly fetch: FetchLike,
    private readonly adminToken: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  private async post(path: string, body: unknown): Promise<{ status: number; body: any; text: string }> {
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.adminToken) headers["x-admin-token"] = this.adminToken;
    let res: Response;
    try {
      res = await this.fetch(joinUrl(this.url, path), {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new CheckFailure(`The control API (${this.url}) did not answer POST ${path}: ${(error as Error).message}`);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text };
  }

  /** Creates a fresh tenant: `{tenantId, token, tokens, agents}`. */
  async createTenant(
    request: { agents?: number; roles?: string[] } = {},
  ): Promise<{ tenantId: string; token: string; tokens: Record<string, string>; agents: number[] }> {
    const res = await this.post("/__admin/tenants", request);
    if (res.status !== 201 || typeof res.body?.tenantId !== "string" || typeof res.body?.token !== "string") {
      throw new CheckFailure(
        `The control API could not create a tenant: POST /__admin/tenants answered ${res.status} ${res.text.slice(0, 200)}`,
      );
    }
    return { tenantId: res.body.tenantId, token: res.body.token, tokens: res.body.tokens ?? {}, agents: res.body.agents ?? [] };
  }

  /** Moves the virtual clock forward. */
  async advance(seconds: number): Promise<void> {
    const res = await this.post("/__admin/clock/advance", { seconds });
    if (res.status !== 200)
      throw new CheckFailure(
        `The control API could not move the clock: POST /__admin/clock/advance answered ${res.status} ${res.text.slice(0, 200)}`,
      );
  }
}

/** The virtual-time steps of a wait with a control API (seconds), before it settles on the last one. */
const VIRTUAL_STEPS = [2, 2, 3, 5, 5, 10, 15, 30, 60, 120, 300, 600, 900];

export class CapabilityContext {
  readonly given: Account;
  readonly control?: ControlApi;
  private freshAccount?: Promise<Account>;
  /** Requests the robustness properties generated (reported in the summary). */
  generatedRequests = 0;
  private readonly cleanups: Array<{ what: string; run: () => Promise<void> }> = [];

  constructor(
    readonly options: ResolvedOptions,
    readonly spec: Spec,
    private readonly http: HttpOptions,
  ) {
    this.given = { tenantId: options.tenant, token: options.token, api: new ApiClient(http, options.token), fresh: false, tokens: {} };
    if (options.adminUrl) this.control = new ControlApi(options.adminUrl, options.fetch, options.adminToken, options.requestTimeoutMs);
  }

  /** A client with any token (or none), for authentication checks. */
  client(token: string | null): ApiClient {
    return new ApiClient(this.http, token);
  }

  /** A new tenant from the control API (fails the check when there is none). */
  async newTenant(request: { agents?: number; roles?: string[] } = {}): Promise<Account> {
    if (!this.control) throw new CheckSkipped("needs --admin-url to create a tenant");
    const t = await this.control.createTenant(request);
    return { tenantId: t.tenantId, token: t.token, api: new ApiClient(this.http, t.token), fresh: true, tokens: t.tokens };
  }

  /**
   * The account mutating checks act in: a fresh tenant of its own for this capability when
   * there is a control API, otherwise the given account (and the checks clean up after
   * themselves).
   */
  async account(): Promise<Account> {
    if (!this.control) return this.given;
    this.freshAccount ??= this.newTenant({ agents: 3 });
    return this.freshAccount;
  }

  /** `/v1.0/{tenant}` + rest. */
  path(account: Account, rest: string): string {
    return `/v1.0/${encodeURIComponent(account.tenantId)}${rest}`;
  }

  /** Registers something to undo when the capability ends (run in reverse order). */
  onCleanup(what: string, run: () => Promise<void>): void {
    this.cleanups.push({ what, run });
  }

  /** Runs the clean-ups; answers the ones that failed. */
  async cleanup(): Promise<string[]> {
    const failed: string[] = [];
    for (const c of this.cleanups.reverse()) {
      try {
        await c.run();
      } catch (error) {
        failed.push(`${c.what}: ${(error as Error).message}`);
      }
    }
    this.cleanups.length = 0;
    return failed;
  }

  /** Lets `seconds` of service time pass: the virtual clock moves, or the kit sleeps. */
  async pass(seconds: number): Promise<void> {
    if (this.control) await this.control.advance(seconds);
    else await sleep(seconds * 1000);
  }

  /**
   * Polls `probe` until it reports done. With a control API the virtual clock moves between
   * polls (growing steps, up to `virtualWaitSeconds`); without one the kit sleeps
   * `pollIntervalMs` between polls, up to `waitTimeoutSeconds`.
   */
  async waitFor<T>(
    what: string,
    probe: () => Promise<{ done: boolean; value: T; state?: string; answer?: Answer }>,
    limits: { virtualSeconds?: number; realSeconds?: number } = {},
  ): Promise<T> {
    const virtualBudget = limits.virtualSeconds ?? this.options.virtualWaitSeconds;
    const realBudget = limits.realSeconds ?? this.options.waitTimeoutSeconds;
    const started = Date.now();
    let waited = 0;
    let step = 0;
    for (;;) {
      const result = await probe();
      if (result.done) return result.value;
      if (this.control) {
        if (waited >= virtualBudget) {
          throw new CheckFailure(
            `${what} did not happen within ${virtualBudget} virtual seconds (the clock was advanced ${step} times); last seen: ${result.state ?? "?"}`,
            result.answer?.exchange,
          );
        }
        const seconds = Math.min(VIRTUAL_STEPS[Math.min(step, VIRTUAL_STEPS.length - 1)]!, virtualBudget - waited);
        await this.control.advance(seconds);
        waited += seconds;
      } else {
        if (Date.now() - started >= realBudget * 1000) {
          throw new CheckFailure(
            `${what} did not happen within ${realBudget} seconds; last seen: ${result.state ?? "?"}`,
            result.answer?.exchange,
          );
        }
        await sleep(this.options.pollIntervalMs);
      }
      step++;
    }
  }

  /** The account's agents, as listAgents and getAgent report them. */
  async agents(account: Account): Promise<AgentInfo[]> {
    const list = await account.api.call<any[]>("GET", this.path(account, "/user/agents"));
    expectStatus(list, 200, "listAgents");
    return (Array.isArray(list.body) ? list.body : []).map((a) => ({
      id: a.MachineAgentId,
      name: a.MachineName,
      windows: /windows/i.test(String(a.OperatingSystem)),
      isEncrypted: a.IsEncrypted === true,
      isDisabled: a.IsDisabled === true,
      raw: a,
    }));
  }

  /** An enabled agent to back up (and, with `count` 2, a second one to restore to). */
  async usableAgents(account: Account, count = 1, options: { unencrypted?: boolean } = {}): Promise<AgentInfo[]> {
    const all = (await this.agents(account)).filter((a) => !a.isDisabled && (!options.unencrypted || !a.isEncrypted));
    // Prefer unencrypted agents: their backups restore without a passphrase.
    all.sort((a, b) => Number(a.isEncrypted) - Number(b.isEncrypted));
    if (all.length < count)
      throw new CheckSkipped(
        `needs ${count} enabled${options.unencrypted ? ", unencrypted" : ""} agent${count > 1 ? "s" : ""} in tenant ${account.tenantId}; it has ${all.length}`,
      );
    return all.slice(0, count);
  }

  /** Wakes the account's agents (wakeAgents must answer 200). */
  async wake(account: Account): Promise<void> {
    const res = await account.api.call("POST", this.path(account, "/user/wakeupagents"));
    expectStatus(res, 200, "wakeAgents");
  }

  /**
   * Calls a start (backup or restore) after waking the agents, retrying a 403 (the agent is
   * still waking up) a few times after a pause, as the service asks clients to do.
   */
  async startWithRetry(account: Account, call: () => Promise<Answer>, what: string): Promise<Answer> {
    await this.wake(account);
    let last: Answer | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      last = await call();
      if (last.status !== 403) return last;
      await this.pass(5);
    }
    throw new CheckFailure(`${what} was still refused with 403 after waking the agents and retrying for a minute`, last?.exchange);
  }
}

/** A valid backup configuration body for an agent. */
export function configurationBody(agent: AgentInfo, name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MachineAgentId: agent.id,
    BackupConfigurationName: name,
    IsActive: true,
    VersionRetention: 30,
    MissedBackupActionId: 1,
    Frequency: "Manually",
    StartTimeHour: null,
    StartTimeMinute: null,
    StartTimeAmPm: null,
    DayOfWeekId: null,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "conformance@example.com",
    NotifySuccess: false,
    NotifyFailure: true,
    Inclusions: [{ FilePath: includePath(agent), FileItemType: "Folder" }],
    Exclusions: [{ FilePath: excludePath(agent), FileItemType: "Folder" }],
    ...overrides,
  };
}

export const includePath = (agent: AgentInfo) => (agent.windows ? "C:\\Websites" : "/var/www/html");
export const excludePath = (agent: AgentInfo) => (agent.windows ? "C:\\Websites\\Logs" : "/var/www/html/uploads");
export const restorePath = (agent: AgentInfo) => (agent.windows ? "C:\\ConformanceRestore" : "/tmp/conformance-restore");

/** A name no other run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
