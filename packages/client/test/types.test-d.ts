import { describe, expectTypeOf, it } from "vitest";
import {
  type ArgsOf,
  type BackupApiError,
  type BackupClient,
  createBackupClient,
  type OperationId,
  parseMsDate,
  type PathParamsOf,
  type Problem,
  type RequestBodyOf,
  type ResultOf,
  type InternalSchemas,
  type Schemas,
} from "../src/index.js";

declare const client: BackupClient;

/** What each operation resolves to, written out by hand from the spec. */
interface ExpectedResults {
  getAgent: Schemas["Agent"];
  updateAgentBackupBehavior: Schemas["Agent"];
  enableAgent: undefined;
  enableVolumeEncryption: string;
  changeEncryptionPassword: string;
  deleteAgent: undefined;
  migrateVault: undefined;
  getAgentByHostServer: Schemas["Agent"];
  changeAgentLogLevel: undefined;
  listAgents: Schemas["Agent"][];
  wakeAgents: undefined;
  listBackupConfigurations: Schemas["BackupConfiguration"][];
  createBackupConfiguration: Schemas["BackupConfiguration"];
  getBackupConfiguration: Schemas["BackupConfiguration"];
  updateBackupConfiguration: undefined;
  deleteBackupConfiguration: undefined;
  listAgentBackupConfigurations: Schemas["BackupConfiguration"][];
  enableBackupConfiguration: Schemas["BackupConfiguration"];
  requestBackupAction: number | undefined;
  getBackup: Schemas["Backup"];
  listCompletedBackups: Schemas["CompletedBackup"][];
  getBackupReport: Schemas["BackupReport"];
  createRestore: Schemas["Restore"];
  updateRestore: undefined;
  addRestoreFile: undefined;
  listRestoreFiles: Schemas["RestoreFile"][];
  deleteRestoreFile: undefined;
  listBackupsAvailableForRestore: Schemas["AvailableBackup"][];
  requestRestoreAction: undefined;
  getRestore: Schemas["Restore"];
  getRestoreReport: Schemas["RestoreReport"];
  listAgentActivity: Schemas["Activity"][];
  listActivity: Schemas["Activity"][];
}

describe("operation methods", () => {
  it("derive the result of every operation from the spec", () => {
    expectTypeOf<{ [K in OperationId]: ResultOf<K> }>().toEqualTypeOf<ExpectedResults>();
    expectTypeOf<keyof BackupClient>().toMatchTypeOf<
      OperationId | "raw" | "internal" | "session" | "wakeAgent" | "waitForBackup" | "waitForRestore"
    >();
  });

  it("keep the internal endpoints apart, under client.internal, typed from internal.yaml", () => {
    expectTypeOf(client.internal.getAgentLogLevel({ machineAgentId: 1 })).toEqualTypeOf<
      Promise<"Fatal" | "Error" | "Warn" | "Info" | "Debug" | "Trace" | "All">
    >();
    expectTypeOf(client.internal.getAgentBusy({ machineAgentId: 1 })).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(client.internal.requestAgentLog({ machineAgentId: 1 })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(client.internal.getCleanupReport({ cleanupId: 1 })).toEqualTypeOf<Promise<InternalSchemas["CleanupReport"]>>();
    expectTypeOf(client.internal.listAgentEvents({ machineAgentId: 1 })).toEqualTypeOf<Promise<InternalSchemas["AgentEvent"][]>>();
    // @ts-expect-error the internal endpoints are not operations of the published API
    client.getAgentLogLevel;
    // @ts-expect-error a path parameter is required
    client.internal.getAgentBusy({});
  });

  it("resolve to the exact result types", () => {
    expectTypeOf(client.listAgents()).toEqualTypeOf<Promise<Schemas["Agent"][]>>();
    expectTypeOf(client.getAgent({ machineAgentId: 1 })).toEqualTypeOf<Promise<Schemas["Agent"]>>();
    expectTypeOf(client.enableVolumeEncryption({ body: { MachineAgentId: 1, EncryptedPasswordHex: "ab" } })).toEqualTypeOf<
      Promise<string>
    >();
    expectTypeOf(client.enableAgent({ body: { MachineAgentId: 1, Enable: true } })).toEqualTypeOf<Promise<undefined>>();
    expectTypeOf(client.wakeAgents()).toEqualTypeOf<Promise<undefined>>();
    expectTypeOf(client.deleteRestoreFile({ restoreId: 1 })).toEqualTypeOf<Promise<undefined>>();
    expectTypeOf(client.getRestore({ restoreId: 1 })).toEqualTypeOf<Promise<Schemas["Restore"]>>();
  });

  it("type requestBackupAction's answer by its Action", () => {
    expectTypeOf(client.requestBackupAction({ body: { Action: "StartManual", Id: 1 } })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(client.requestBackupAction({ body: { Action: "StopManual", Id: 1 } })).toEqualTypeOf<Promise<undefined>>();
    const action = "StartManual" as Schemas["ManualAction"];
    expectTypeOf(client.requestBackupAction({ body: { Action: action, Id: 1 } })).toEqualTypeOf<Promise<number | undefined>>();
  });

  it("take path parameters without tenant_id, and the JSON body", () => {
    expectTypeOf<PathParamsOf<"getAgent">>().toEqualTypeOf<{ machineAgentId: number }>();
    expectTypeOf<PathParamsOf<"listAgents">>().toEqualTypeOf<{}>();
    expectTypeOf<RequestBodyOf<"enableAgent">>().toEqualTypeOf<Schemas["EnableAgentRequest"]>();
    expectTypeOf<RequestBodyOf<"changeAgentLogLevel">>().toEqualTypeOf<Schemas["ChangeLogLevelRequest"]>();
    expectTypeOf<RequestBodyOf<"getAgent">>().toBeNever();
    expectTypeOf<ArgsOf<"deleteRestoreFile">["restoreId"]>().toEqualTypeOf<number>();
    expectTypeOf<ArgsOf<"listAgents">["timeoutMs"]>().toEqualTypeOf<number | undefined>();
  });

  it("refuse wrong arguments", () => {
    // @ts-expect-error a path parameter is a number, not a string
    void client.getAgent({ machineAgentId: "213564" });
    // @ts-expect-error the path parameter is required
    void client.getAgent({});
    // @ts-expect-error getAgent needs its argument
    void client.getAgent();
    // @ts-expect-error the client fills in tenant_id
    void client.getAgent({ machineAgentId: 1, tenant_id: "1234" });
    // @ts-expect-error Enable is required
    void client.enableAgent({ body: { MachineAgentId: 1 } });
    // @ts-expect-error the body is required
    void client.enableAgent({});
    // @ts-expect-error not an Action of the API
    void client.requestBackupAction({ body: { Action: "Start", Id: 1 } });
    // @ts-expect-error not a Frequency of the API
    void client.createBackupConfiguration({ body: { ...({} as Schemas["CreateBackupConfigurationRequest"]), Frequency: "Monthly" } });
    const retention90 = { ...({} as Schemas["UpdateBackupConfigurationRequest"]), VersionRetention: 90 as const };
    // @ts-expect-error VersionRetention is 0, 30 or 60
    void client.updateBackupConfiguration({ backupConfigurationId: 1, body: retention90 });
    // @ts-expect-error listAgents takes no body
    void client.listAgents({ body: {} });
    // @ts-expect-error no such operation
    void client.getAgents();
  });
});

describe("the raw client", () => {
  it("is typed by the spec's paths", async () => {
    const { data, error } = await client.raw.GET("/v1.0/{tenant_id}/agent/{machineAgentId}", {
      params: { path: { tenant_id: "1234", machineAgentId: 1 } },
    });
    expectTypeOf(data).toEqualTypeOf<Schemas["Agent"] | undefined>();
    expectTypeOf(error).toEqualTypeOf<Problem | undefined>();
    // @ts-expect-error not a path of the API
    void client.raw.GET("/v1.0/{tenant_id}/agents", { params: { path: { tenant_id: "1234" } } });
    // @ts-expect-error GET is not an operation of this path
    void client.raw.GET("/v1.0/{tenant_id}/agent/enable", { params: { path: { tenant_id: "1234" } } });
    // @ts-expect-error machineAgentId must be a number
    void client.raw.GET("/v1.0/{tenant_id}/agent/{machineAgentId}", { params: { path: { tenant_id: "1234", machineAgentId: "1" } } });
    // @ts-expect-error the body misses Enable
    void client.raw.POST("/v1.0/{tenant_id}/agent/enable", { params: { path: { tenant_id: "1234" } }, body: { MachineAgentId: 1 } });
  });
});

describe("helpers", () => {
  it("resolve to the objects they wait for", () => {
    expectTypeOf(client.wakeAgent(1)).toEqualTypeOf<Promise<Schemas["Agent"]>>();
    expectTypeOf(client.waitForBackup(1)).toEqualTypeOf<Promise<Schemas["Backup"]>>();
    expectTypeOf(client.waitForRestore(1)).toEqualTypeOf<Promise<Schemas["Restore"]>>();
    expectTypeOf(client.waitForBackup)
      .parameter(1)
      .exclude<undefined>()
      .toHaveProperty("tick")
      .toEqualTypeOf<(() => void | Promise<void>) | undefined>();
  });

  it("type parseMsDate by its input", () => {
    expectTypeOf(parseMsDate("/Date(0)/")).toEqualTypeOf<Date>();
    expectTypeOf(parseMsDate(null)).toEqualTypeOf<null>();
    expectTypeOf(parseMsDate({} as Schemas["NullableMsDate"])).toEqualTypeOf<Date | null>();
  });

  it("type the errors", () => {
    expectTypeOf<BackupApiError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<BackupApiError["problem"]>().toEqualTypeOf<Problem | undefined>();
    expectTypeOf<BackupApiError["retryAfter"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<BackupApiError["requestId"]>().toEqualTypeOf<string | undefined>();
  });
});

describe("createBackupClient options", () => {
  it("accept a token with an endpoint, or Identity credentials", () => {
    expectTypeOf(createBackupClient({ region: "dfw", token: "t", tenantId: "1" })).toEqualTypeOf<BackupClient>();
    expectTypeOf(createBackupClient({ baseUrl: "http://x", token: "t", tenantId: "1" })).toEqualTypeOf<BackupClient>();
    expectTypeOf(createBackupClient({ auth: { username: "u", apiKey: "k" }, region: "LON" })).toEqualTypeOf<BackupClient>();
    expectTypeOf(createBackupClient({ auth: { username: "u", password: "p", identityUrl: "http://x" } })).toEqualTypeOf<BackupClient>();
  });

  it("refuse incomplete or contradictory options", () => {
    // @ts-expect-error a static token needs the tenant
    createBackupClient({ region: "dfw", token: "t" });
    // @ts-expect-error a static token needs an endpoint
    createBackupClient({ token: "t", tenantId: "1" });
    // @ts-expect-error not a region
    createBackupClient({ region: "mars", token: "t", tenantId: "1" });
    // @ts-expect-error baseUrl or region, not both
    createBackupClient({ region: "dfw", baseUrl: "http://x", token: "t", tenantId: "1" });
    // @ts-expect-error a token or credentials, not both
    createBackupClient({ region: "dfw", token: "t", tenantId: "1", auth: { username: "u", apiKey: "k" } });
    // @ts-expect-error an API key or a password, not both
    createBackupClient({ auth: { username: "u", apiKey: "k", password: "p" } });
  });
});
