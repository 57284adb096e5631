/**
 * Invalid input: every kind answers 400 with a problem whose `errors` names the problem,
 * and changes nothing. Then a sweep of garbage over every operation: nothing is a 500.
 */
import { type OperationId, operations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { encryptPassphrase, MAX_BODY_BYTES, withoutTenant } from "../src/index.js";
import { VALIDATION_TYPE } from "../src/problem.js";
import { type Answer, type CallInit, fillPath, manualConfig, type TenantFixture, tenantFixture, weeklyConfig } from "./helpers.js";

interface Want {
  in?: "path" | "header" | "body";
  pointer?: string;
  name?: string;
  /** A substring of the field's message. */
  message: string;
}

interface InvalidCase {
  given: string;
  /** Runs before the snapshot; its result is passed to `send`. */
  setup?: (f: TenantFixture) => Promise<any>;
  send: (f: TenantFixture, prepared?: any) => Promise<Answer>;
  want: Want[];
  /** Tenant-relative GET paths whose answers must be the same before and after. */
  unchanged: string[];
}

const configs = ["/backup-configuration"];
const post = (path: string, init: CallInit) => (f: TenantFixture) => f.c("POST", path, init);
const create = (overrides: Record<string, unknown>) => (f: TenantFixture) =>
  f.c("POST", "/backup-configuration", { body: weeklyConfig(f.linux, overrides) });
const without = (body: Record<string, unknown>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

const cases: InvalidCase[] = [
  // ------------------------------------------------------------------ malformed bodies
  {
    given: "malformed JSON",
    send: post("/backup-configuration", { raw: '{"MachineAgentId": 1,' }),
    want: [{ in: "body", pointer: "", message: "is not valid JSON" }],
    unchanged: configs,
  },
  {
    given: "an empty body",
    send: post("/backup-configuration", { raw: "" }),
    want: [{ in: "body", pointer: "", message: "is required" }],
    unchanged: configs,
  },
  {
    given: "a body of whitespace",
    send: post("/agent/enable", { raw: "  \n " }),
    want: [{ in: "body", pointer: "", message: "is required" }],
    unchanged: ["/user/agents"],
  },
  {
    given: "a JSON array instead of an object",
    send: post("/backup-configuration", { body: [] }),
    want: [{ pointer: "", message: "must be object" }],
    unchanged: configs,
  },
  {
    given: "JSON null",
    send: post("/agent/enable", { raw: "null" }),
    want: [{ pointer: "", message: "must be object" }],
    unchanged: ["/user/agents"],
  },

  // ------------------------------------------------------------------ wrong types
  {
    given: 'a string boolean (IsActive "true")',
    send: create({ IsActive: "true" }),
    want: [{ in: "body", pointer: "/IsActive", message: "must be boolean" }],
    unchanged: configs,
  },
  {
    given: 'a string boolean (Enable "false")',
    send: (f) => f.c("POST", "/agent/enable", { body: { MachineAgentId: f.linux, Enable: "false" } }),
    want: [{ pointer: "/Enable", message: "must be boolean" }],
    unchanged: ["/user/agents"],
  },
  {
    given: "a string id (MachineAgentId)",
    send: (f) => f.c("POST", "/backup-configuration", { body: weeklyConfig(f.linux, { MachineAgentId: String(f.linux) }) }),
    want: [{ pointer: "/MachineAgentId", message: "must be integer" }],
    unchanged: configs,
  },
  {
    given: "a string id (Id of a backup action)",
    send: post("/backup/action-requested", { body: { Action: "StartManual", Id: "180000" } }),
    want: [{ pointer: "/Id", message: "must be integer" }],
    unchanged: ["/activity"],
  },
  {
    given: "a fractional id",
    send: (f) => f.c("POST", "/agent/delete", { body: { MachineAgentId: f.linux + 0.5 } }),
    want: [{ pointer: "/MachineAgentId", message: "must be integer" }],
    unchanged: ["/user/agents"],
  },
  {
    given: 'a string boolean (OverwriteFiles "false")',
    send: (f) =>
      f.c("PUT", "/restore", {
        body: { BackupId: 1, BackupMachineId: f.linux, DestinationMachineId: f.linux, DestinationPath: "/r", OverwriteFiles: "false" },
      }),
    want: [{ pointer: "/OverwriteFiles", message: "must be boolean" }],
    unchanged: ["/activity"],
  },

  // ------------------------------------------------------------------ out of range
  {
    given: "StartTimeHour 13",
    send: create({ StartTimeHour: 13 }),
    want: [{ pointer: "/StartTimeHour", message: "must be <= 12" }],
    unchanged: configs,
  },
  {
    given: "StartTimeHour 0",
    send: create({ StartTimeHour: 0 }),
    want: [{ pointer: "/StartTimeHour", message: "must be >= 1" }],
    unchanged: configs,
  },
  {
    given: "StartTimeMinute 60",
    send: create({ StartTimeMinute: 60 }),
    want: [{ pointer: "/StartTimeMinute", message: "must be <= 59" }],
    unchanged: configs,
  },
  {
    given: "DayOfWeekId 7",
    send: create({ DayOfWeekId: 7 }),
    want: [{ pointer: "/DayOfWeekId", message: "must be <= 6" }],
    unchanged: configs,
  },
  {
    given: "HourInterval 24",
    send: create({
      Frequency: "Hourly",
      StartTimeHour: null,
      StartTimeMinute: null,
      StartTimeAmPm: null,
      DayOfWeekId: null,
      HourInterval: 24,
    }),
    want: [{ pointer: "/HourInterval", message: "must be <= 23" }],
    unchanged: configs,
  },
  {
    given: "VersionRetention 45",
    send: create({ VersionRetention: 45 }),
    want: [{ pointer: "/VersionRetention", message: "must be one of 0, 30, 60" }],
    unchanged: configs,
  },
  {
    given: "MissedBackupActionId 3",
    send: create({ MissedBackupActionId: 3 }),
    want: [{ pointer: "/MissedBackupActionId", message: "must be one of 1, 2" }],
    unchanged: configs,
  },
  {
    given: "a negative id in the body",
    send: create({ MachineAgentId: -5 }),
    want: [{ pointer: "/MachineAgentId", message: "must be >= 1" }],
    unchanged: configs,
  },
  {
    given: "an id beyond int32 in the body",
    send: post("/agent/enable", { body: { MachineAgentId: 2 ** 31, Enable: false } }),
    want: [{ pointer: "/MachineAgentId", message: "must be <= 2147483647" }],
    unchanged: ["/user/agents"],
  },
  {
    given: "a name of 256 characters",
    send: create({ BackupConfigurationName: "n".repeat(256) }),
    want: [{ pointer: "/BackupConfigurationName", message: "must be at most 255 characters" }],
    unchanged: configs,
  },
  {
    given: "an empty name",
    send: create({ BackupConfigurationName: "" }),
    want: [{ pointer: "/BackupConfigurationName", message: "must not be empty" }],
    unchanged: configs,
  },
  {
    given: "1001 inclusions",
    send: create({ Inclusions: Array.from({ length: 1001 }, (_, i) => ({ FilePath: `/data/${i}`, FileItemType: "File" })) }),
    want: [{ pointer: "/Inclusions", message: "must have at most 1000 items" }],
    unchanged: configs,
  },
  {
    given: "LoggingLevelId 8",
    send: (f) => f.c("PUT", "/agent/logging", { body: { MachineAgentId: f.linux, LoggingLevelId: 8 } }),
    want: [{ pointer: "/LoggingLevelId", message: "must be <= 7" }],
    unchanged: ["/user/agents"],
  },

  // ------------------------------------------------------------------ path parameters
  {
    given: "id 0 in the path",
    send: (f) => f.c("DELETE", "/backup-configuration/0"),
    want: [{ in: "path", name: "backupConfigurationId", message: "must be >= 1" }],
    unchanged: configs,
  },
  {
    given: "a negative id in the path",
    send: (f) => f.c("POST", "/agent/-7", { body: { UseServiceNet: false } }),
    want: [{ in: "path", name: "machineAgentId", message: "must be >= 1" }],
    unchanged: ["/user/agents"],
  },
  {
    given: 'a non-integer path id ("abc")',
    send: (f) => f.c("POST", "/backup-configuration/enable/abc", { body: { Enable: false } }),
    want: [{ in: "path", name: "backupConfigurationId", message: "must be integer" }],
    unchanged: configs,
  },
  {
    given: 'an exponent path id ("1e3")',
    send: (f) => f.c("GET", "/agent/1e3"),
    want: [{ in: "path", name: "machineAgentId", message: "must be integer" }],
    unchanged: [],
  },
  {
    given: 'a hexadecimal path id ("0x10")',
    send: (f) => f.c("GET", "/backup/0x10"),
    want: [{ in: "path", name: "backupId", message: "must be integer" }],
    unchanged: [],
  },
  {
    given: "a non-UUID host server id",
    send: (f) => f.c("GET", "/agent/server/not-a-uuid"),
    want: [{ in: "path", name: "hostServerId", message: "must be a valid uuid" }],
    unchanged: [],
  },
  {
    given: "a tenant id with a slash",
    send: (f) => f.call("GET", "/v1.0/12%2F34/user/agents", { token: f.token }),
    want: [{ in: "path", name: "tenant_id", message: "must match" }],
    unchanged: [],
  },

  // ------------------------------------------------------------------ unknown enum values
  {
    given: 'Frequency "Monthly"',
    send: create({ Frequency: "Monthly" }),
    want: [{ pointer: "/Frequency", message: 'must be one of "Manually", "Hourly", "Daily", "Weekly"' }],
    unchanged: configs,
  },
  {
    given: 'Action "Pause"',
    send: post("/backup/action-requested", { body: { Action: "Pause", Id: 180000 } }),
    want: [{ pointer: "/Action", message: 'must be one of "StartManual", "StopManual"' }],
    unchanged: ["/activity"],
  },
  {
    given: 'Action "Pause" on a restore',
    send: post("/restore/action-requested", { body: { Action: "Pause", Id: 20000 } }),
    want: [{ pointer: "/Action", message: "must be one of" }],
    unchanged: ["/activity"],
  },
  {
    given: 'StartTimeAmPm "AM|PM"',
    send: create({ StartTimeAmPm: "AM|PM" }),
    want: [{ pointer: "/StartTimeAmPm", message: 'must be one of "AM", "PM"' }],
    unchanged: configs,
  },
  {
    given: 'FileItemType "Directory"',
    send: create({ Inclusions: [{ FilePath: "/etc", FileItemType: "Directory" }] }),
    want: [{ pointer: "/Inclusions/0/FileItemType", message: "must be one of" }],
    unchanged: configs,
  },
  {
    given: 'BackupDataCenter "XYZ"',
    send: (f) => f.c("POST", `/agent/${f.linux}`, { body: { UseServiceNet: true, BackupDataCenter: "XYZ" } }),
    want: [{ pointer: "/BackupDataCenter", message: "must be one of" }],
    unchanged: ["/user/agents"],
  },

  // ------------------------------------------------------------------ missing required fields
  {
    given: "three required fields missing at once",
    send: (f) =>
      f.c("POST", "/backup-configuration", {
        body: without(weeklyConfig(f.linux), "BackupConfigurationName", "TimeZoneId", "NotifyRecipients"),
      }),
    want: [
      { pointer: "/BackupConfigurationName", message: "is required" },
      { pointer: "/TimeZoneId", message: "is required" },
      { pointer: "/NotifyRecipients", message: "is required" },
    ],
    unchanged: configs,
  },
  {
    given: "an empty object for a restore",
    send: post("/restore", { body: {} }),
    want: [
      "RestoreId",
      "BackupId",
      "BackupMachineId",
      "DestinationMachineId",
      "OverwriteFiles",
      "BackupConfigurationId",
      "DestinationPath",
      "RestoreStateId",
    ].map((k) => ({ pointer: `/${k}`, message: "is required" })),
    unchanged: ["/activity"],
  },
  {
    given: "an inclusion without FileItemType",
    send: create({ Inclusions: [{ FilePath: "/etc" }] }),
    want: [{ pointer: "/Inclusions/0/FileItemType", message: "is required" }],
    unchanged: configs,
  },

  // ------------------------------------------------------------------ schedules that contradict Frequency
  {
    given: "Weekly without DayOfWeekId",
    send: (f) => f.c("POST", "/backup-configuration", { body: without(weeklyConfig(f.linux), "DayOfWeekId") }),
    want: [{ pointer: "/DayOfWeekId", message: "is required" }],
    unchanged: configs,
  },
  {
    given: "Weekly with a null DayOfWeekId",
    send: create({ DayOfWeekId: null }),
    want: [{ pointer: "/DayOfWeekId", message: "must be integer when Frequency is Weekly" }],
    unchanged: configs,
  },
  {
    given: "an hour with Manually",
    send: create({ Frequency: "Manually", StartTimeMinute: null, StartTimeAmPm: null, DayOfWeekId: null }),
    want: [{ pointer: "/StartTimeHour", message: "must be null when Frequency is Manually" }],
    unchanged: configs,
  },
  {
    given: "Hourly without HourInterval",
    send: create({
      Frequency: "Hourly",
      StartTimeHour: null,
      StartTimeMinute: null,
      StartTimeAmPm: null,
      DayOfWeekId: null,
      HourInterval: null,
    }),
    want: [{ pointer: "/HourInterval", message: "must be integer when Frequency is Hourly" }],
    unchanged: configs,
  },
  {
    given: "Daily with DayOfWeekId",
    send: create({ Frequency: "Daily", DayOfWeekId: 3 }),
    want: [{ pointer: "/DayOfWeekId", message: "must be null when Frequency is Daily" }],
    unchanged: configs,
  },
  {
    given: 'Daily with StartTimeAmPm ""',
    send: create({ Frequency: "Daily", DayOfWeekId: null, StartTimeAmPm: "" }),
    want: [{ pointer: "/StartTimeAmPm", message: 'must be one of "AM", "PM" when Frequency is Daily' }],
    unchanged: configs,
  },

  // ------------------------------------------------------------------ semantic checks
  {
    given: "an unknown Windows time zone",
    send: create({ TimeZoneId: "Mars Standard Time" }),
    want: [{ pointer: "/TimeZoneId", message: "is not a known Windows time-zone name" }],
    unchanged: configs,
  },
  {
    given: "an IANA zone instead of a Windows name",
    send: create({ TimeZoneId: "America/New_York" }),
    want: [{ pointer: "/TimeZoneId", message: "is not a known Windows time-zone name" }],
    unchanged: configs,
  },
  {
    given: "a relative inclusion path",
    send: create({ Inclusions: [{ FilePath: "var/www", FileItemType: "Folder" }] }),
    want: [{ pointer: "/Inclusions/0/FilePath", message: "must be an absolute Linux path" }],
    unchanged: configs,
  },
  {
    given: "a relative exclusion path (second item)",
    send: create({
      Exclusions: [
        { FilePath: "/tmp", FileItemType: "Folder" },
        { FilePath: "./cache", FileItemType: "Folder" },
      ],
    }),
    want: [{ pointer: "/Exclusions/1/FilePath", message: "must be an absolute Linux path" }],
    unchanged: configs,
  },
  {
    given: "a Linux path on a Windows agent",
    send: (f) => f.c("POST", "/backup-configuration", { body: manualConfig(f.windows) }),
    want: [{ pointer: "/Inclusions/0/FilePath", message: "must be an absolute Windows path" }],
    unchanged: configs,
  },
  {
    given: "a relative restore destination",
    setup: async (f) => f.runBackup(await f.createConfig()),
    send: (f, backupId) =>
      f.c("PUT", "/restore", {
        body: {
          BackupId: backupId,
          BackupMachineId: f.linux,
          DestinationMachineId: f.linux,
          DestinationPath: "restored",
          OverwriteFiles: false,
        },
      }),
    want: [{ pointer: "/DestinationPath", message: "must be an absolute" }],
    unchanged: ["/activity"],
  },
  {
    given: "a rename onto the name of another configuration of the agent",
    setup: async (f) => {
      await f.createConfig(manualConfig(f.linux, { BackupConfigurationName: "Taken" }));
      return f.createConfig(manualConfig(f.linux, { BackupConfigurationName: "Free" }));
    },
    send: (f, id) => f.c("PUT", `/backup-configuration/${id}`, { body: manualConfig(f.linux, { BackupConfigurationName: "Taken" }) }),
    want: [{ pointer: "/BackupConfigurationName", message: "is already used by another configuration" }],
    unchanged: configs,
  },
  {
    given: "a non-hex EncryptedPasswordHex",
    send: (f) => f.c("POST", "/agent/encrypt", { body: { MachineAgentId: f.linux, EncryptedPasswordHex: "not hex!" } }),
    want: [{ pointer: "/EncryptedPasswordHex", message: "must match" }],
    unchanged: ["/user/agents"],
  },
  {
    given: "hex that is not a ciphertext",
    send: (f) => f.c("POST", "/agent/encrypt", { body: { MachineAgentId: f.linux, EncryptedPasswordHex: "abcdef0123" } }),
    want: [{ pointer: "/EncryptedPasswordHex", message: "is not a passphrase encrypted with agent" }],
    unchanged: ["/user/agents"],
  },
  {
    given: "a passphrase encrypted with another agent's key",
    send: async (f) =>
      f.c("POST", "/agent/encrypt", {
        body: { MachineAgentId: f.linux, EncryptedPasswordHex: encryptPassphrase(await f.publicKey(f.windows), "pw") },
      }),
    want: [{ pointer: "/EncryptedPasswordHex", message: "is not a passphrase encrypted with agent" }],
    unchanged: ["/user/agents"],
  },
  {
    given: "an odd-length ciphertext longer than the key",
    send: (f) => f.c("POST", "/agent/encrypt", { body: { MachineAgentId: f.linux, EncryptedPasswordHex: "f".repeat(1025) } }),
    want: [{ pointer: "/EncryptedPasswordHex", message: "is not a passphrase encrypted with agent" }],
    unchanged: ["/user/agents"],
  },
];

describe("invalid input", () => {
  it.each(cases)("answers 400 naming the problem, and changes nothing: $given", async ({ setup, send, want, unchanged }) => {
    const f = await tenantFixture();
    const prepared = setup ? await setup(f) : undefined;
    const snapshot = async () => Promise.all(unchanged.map(async (p) => (await f.c("GET", p)).body));
    const before = await snapshot();
    const res = await send(f, prepared);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ type: VALIDATION_TYPE, title: "Bad Request", status: 400 });
    expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
    for (const w of want) {
      const match = (res.body.errors as any[]).find(
        (e) =>
          (w.in === undefined || e.in === w.in) &&
          (w.pointer === undefined || e.pointer === w.pointer) &&
          (w.name === undefined || e.name === w.name) &&
          e.message.includes(w.message),
      );
      expect(match, `${JSON.stringify(w)} in ${JSON.stringify(res.body.errors)}`).toBeDefined();
    }
    expect(await snapshot()).toEqual(before);
  });

  it("names every field once when several are wrong, with a count in the detail", async () => {
    const f = await tenantFixture();
    const res = await f.c("POST", "/backup-configuration", {
      body: weeklyConfig(f.linux, { StartTimeHour: 13, VersionRetention: 45, IsActive: "yes", MachineAgentId: "x" }),
    });
    expect(res.status).toBe(400);
    const pointers = (res.body.errors as any[]).map((e) => e.pointer);
    expect(new Set(pointers)).toEqual(new Set(["/StartTimeHour", "/VersionRetention", "/IsActive", "/MachineAgentId"]));
    expect(res.body.detail).toBe(`The body has ${res.body.errors.length} problems.`);
  });

  it("echoes the caller's X-Request-Id", async () => {
    const f = await tenantFixture();
    const res = await f.c("GET", "/agent/abc", { headers: { "X-Request-Id": "req-42" } });
    expect(res.headers.get("x-request-id")).toBe("req-42");
    expect(res.body.requestId).toBe("req-42");
  });

  it("accepts JSON with a charset (as the official clients send it), as a +json type or without a Content-Type", async () => {
    const f = await tenantFixture();
    for (const contentType of ["application/json; charset=utf-8", "application/vnd.api+json"]) {
      const res = await f.c("POST", "/agent/enable", { raw: JSON.stringify({ MachineAgentId: f.linux, Enable: true }), contentType });
      expect(res.status, contentType).toBe(204);
    }
    const bare = await f.app.request("/v1.0/agent/enable", {
      method: "POST",
      headers: { "X-Auth-Token": f.token },
      body: new TextEncoder().encode(JSON.stringify({ MachineAgentId: f.linux, Enable: true })),
    });
    expect(bare.status).toBe(204);
  });

  const mediaCases = [
    {
      given: "JSON sent as text/plain",
      contentType: "text/plain",
      raw: (id: number) => JSON.stringify({ MachineAgentId: id, Enable: false }),
      want: "must be application/json",
    },
    { given: "XML", contentType: "application/xml", raw: () => "<Enable/>", want: "must be application/json" },
    {
      given: "a form body where only JSON is accepted",
      contentType: "application/x-www-form-urlencoded",
      raw: (id: number) => `MachineAgentId=${id}&Enable=false`,
      want: "must be application/json",
    },
  ];
  it.each(mediaCases)(
    "answers 415 to a body of an undeclared media type, and changes nothing: $given",
    async ({ contentType, raw, want }) => {
      const f = await tenantFixture();
      const before = await f.c("GET", "/user/agents");
      const res = await f.c("POST", "/agent/enable", { raw: raw(f.linux), contentType });
      expect(res.status, JSON.stringify(res.body)).toBe(415);
      expect(res.body).toMatchObject({ title: "Unsupported Media Type", status: 415 });
      expect(res.body.errors).toEqual([{ in: "header", name: "Content-Type", message: expect.stringContaining(want) }]);
      expect((await f.c("GET", "/user/agents")).body).toEqual(before.body);
    },
  );

  it("answers 415 naming both types when changeAgentLogLevel gets neither JSON nor a form", async () => {
    const f = await tenantFixture();
    const res = await f.c("PUT", "/agent/logging", {
      raw: `{"MachineAgentId": ${f.linux}, "LoggingLevelId": 3}`,
      contentType: "text/plain",
    });
    expect(res.status).toBe(415);
    expect(res.body.errors[0].message).toBe("must be application/json or application/x-www-form-urlencoded");
  });
});

// ---------------------------------------------------------------------------------------- no 500

const WEIRD_PATH_VALUES = [
  "abc",
  "0",
  "-1",
  "1.5",
  "1e3",
  "0x10",
  " 7",
  "99999999999999999999",
  "2147483648",
  "%00",
  "%E0%A4%A",
  "..",
  "%2F",
  "%C3%BC",
  "null",
  "true",
  "[]",
  "x".repeat(3000),
];
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53,
  1e308,
  "",
  "x".repeat(5000),
  "1",
  "/",
  "C:\\",
  "\u0000",
  "💾",
  [],
  [null],
  {},
  { $ref: "#" },
];
const WEIRD_BODIES = [
  "",
  " ",
  "null",
  "[]",
  "{}",
  '"x"',
  "123",
  "true",
  "{",
  "}{",
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  "[".repeat(5000) + "]".repeat(5000),
  "\u0000",
  "1e400",
];
const CONTENT_TYPES = [
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "",
];

/** Schema-valid bodies, so that the weird values reach the handlers. */
function validBody(
  op: OperationId,
  f: TenantFixture,
  ids = { configId: 1, backupId: 1, restoreId: 1 },
): Record<string, unknown> | undefined {
  const bodies: Partial<Record<OperationId, Record<string, unknown>>> = {
    updateAgentBackupBehavior: { UseServiceNet: true, BackupDataCenter: "DFW" },
    enableAgent: { MachineAgentId: f.linux, Enable: true },
    enableVolumeEncryption: { MachineAgentId: f.linux, EncryptedPasswordHex: "abcd" },
    changeEncryptionPassword: { MachineAgentId: f.linux, OldEncryptedPasswordHex: "ab", NewEncryptedPasswordHex: "cd" },
    deleteAgent: { MachineAgentId: f.windows },
    migrateVault: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: f.windows },
    changeAgentLogLevel: { MachineAgentId: f.linux, LoggingLevelId: 4 },
    createBackupConfiguration: weeklyConfig(f.linux),
    updateBackupConfiguration: weeklyConfig(f.linux),
    enableBackupConfiguration: { Enable: true },
    requestBackupAction: { Action: "StartManual", Id: ids.configId },
    createRestore: {
      BackupId: ids.backupId,
      BackupMachineId: f.linux,
      DestinationMachineId: f.linux,
      DestinationPath: "/r",
      OverwriteFiles: false,
      BackupDataCenter: "DFW",
    },
    updateRestore: {
      RestoreId: ids.restoreId,
      BackupId: ids.backupId,
      BackupMachineId: f.linux,
      DestinationMachineId: f.linux,
      OverwriteFiles: true,
      BackupConfigurationId: ids.configId,
      DestinationPath: "/r",
      RestoreStateId: 0,
    },
    addRestoreFile: { FilePath: "/etc", Filter: 1, ParentId: ids.restoreId, FileItemType: 1 },
    requestRestoreAction: { Action: "StartManual", Id: ids.restoreId, EncryptedPassword: "ab" },
  };
  return bodies[op];
}

describe("nothing a client sends is a 500", () => {
  it("sweeps weird path values through every path parameter of every operation", async () => {
    const f = await tenantFixture();
    let sent = 0;
    for (const op of operations) {
      const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!).filter((n) => n !== "tenant_id");
      for (const name of [...names, "tenant_id"]) {
        for (const value of WEIRD_PATH_VALUES) {
          const path = op.path
            .replace(`{${name}}`, value)
            .replace(/\{([^}]+)\}/g, (_m, n: string) => (n === "tenant_id" ? f.tenant.tenantId : String(f.linux)));
          const init: CallInit = { token: f.token, ...(op.requestMediaTypes.length ? { body: validBody(op.operationId, f) ?? {} } : {}) };
          const res = await f.call(op.method, path, init);
          expect(res.status, `${op.method} ${path}`).toBeLessThan(500);
          sent++;
        }
      }
    }
    expect(sent).toBeGreaterThan(500);
  });

  it("sweeps garbage bodies and content types through every operation that takes a body", async () => {
    const f = await tenantFixture();
    for (const op of operations.filter((o) => o.requestMediaTypes.length)) {
      const path = fillPath(op.path, { tenant_id: f.tenant.tenantId, machineAgentId: f.linux, backupConfigurationId: 1 });
      for (const raw of WEIRD_BODIES) {
        for (const contentType of CONTENT_TYPES) {
          const res = await f.call(op.method, path, { token: f.token, raw, contentType });
          expect(res.status, `${op.operationId} ${contentType} ${raw.slice(0, 40)}`).toBeLessThan(500);
          expect(res.status, `${op.operationId} ${contentType} ${raw.slice(0, 40)}`).not.toBe(200);
        }
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("sweeps weird values through every field of a valid body, on fresh and on busy state", async () => {
    for (const busy of [false, true]) {
      const f = await tenantFixture();
      let ids = { configId: 1, backupId: 1, restoreId: 1 };
      if (busy) {
        // Configurations, backups (one running), a restore and an encrypted agent to collide with.
        const configId = await f.createConfig();
        const backupId = await f.runBackup(configId);
        const restoreId = await f.createRestore(backupId);
        await f.runBackup(configId, 3);
        await f.c("POST", "/agent/encrypt", {
          body: { MachineAgentId: f.windows, EncryptedPasswordHex: encryptPassphrase(await f.publicKey(f.windows), "pw") },
        });
        ids = { configId, backupId, restoreId };
      }
      for (const op of operations) {
        const base = validBody(op.operationId, f, ids);
        if (!base) continue;
        const path = fillPath(op.path, { tenant_id: f.tenant.tenantId, machineAgentId: f.linux, backupConfigurationId: ids.configId });
        for (const field of Object.keys(base)) {
          for (const value of WEIRD_VALUES) {
            const res = await f.call(op.method, path, { token: f.token, body: { ...base, [field]: value } });
            expect(res.status, `${op.operationId} ${field}=${JSON.stringify(value)?.slice(0, 40)}`).toBeLessThan(500);
          }
        }
      }
    }
  });

  it("answers the tenant-less form of every operation with garbage without a 500", async () => {
    const f = await tenantFixture();
    for (const op of operations) {
      for (const value of ["abc", "0", "%E0%A4%A"]) {
        const path = withoutTenant(op.path).replace(/\{([^}]+)\}/g, value);
        const res = await f.call(op.method, path, { token: f.token, ...(op.requestMediaTypes.length ? { raw: "{" } : {}) });
        expect(res.status, `${op.method} ${path}`).toBeLessThan(500);
      }
    }
  });

  it("refuses a body over 1 MB with a 400 naming the size", async () => {
    const f = await tenantFixture();
    const res = await f.c("POST", "/backup-configuration", {
      body: weeklyConfig(f.linux, { BackupPrescript: "x".repeat(MAX_BODY_BYTES) }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ in: "body", pointer: "", message: expect.stringContaining(`larger than ${MAX_BODY_BYTES} bytes`) }),
    ]);
    expect((await f.c("GET", "/backup-configuration")).body).toEqual([]);
  });
});
