/**
 * Field names as the service's case-insensitive JSON binding read them: for every operation
 * of the description that takes a JSON body, a documented field sent in another letter case
 * is answered exactly as the canonical spelling is (and named in X-Canonical-Field-Names),
 * and a refused body with an undocumented field close to a documented one says which.
 */
import { document, type OperationId, operations } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { encryptPassphrase } from "../src/index.js";
import { manualConfig, tenantFixture, weeklyConfig } from "./helpers.js";

type Body = Record<string, unknown>;

/** A fixture with a configuration, a finished backup of it and a restore in Creating. */
async function world(op?: OperationId) {
  const f = await tenantFixture();
  const configId = await f.createConfig(manualConfig(f.linux));
  const backupId = await f.runBackup(configId);
  const restoreId = await f.createRestore(backupId);
  const hex = {
    windows: encryptPassphrase(await f.publicKey(f.windows), "case-test"),
    linuxOld: "",
    linuxNew: encryptPassphrase(await f.publicKey(f.linux), "case-test-new"),
  };
  if (op === "changeEncryptionPassword") {
    hex.linuxOld = encryptPassphrase(await f.publicKey(f.linux), "case-test");
    expect((await f.c("POST", "/agent/encrypt", { body: { MachineAgentId: f.linux, EncryptedPasswordHex: hex.linuxOld } })).status).toBe(
      200,
    );
  }
  return { f, configId, backupId, restoreId, hex };
}

/** A body each operation accepts on that fixture (or answers with a documented status). */
function bodyFor(op: OperationId, w: Awaited<ReturnType<typeof world>>): Body {
  const { f, configId, backupId, restoreId, hex } = w;
  const bodies: Record<string, Body> = {
    updateAgentBackupBehavior: { UseServiceNet: true, BackupDataCenter: "DFW" },
    enableAgent: { MachineAgentId: f.linux, Enable: false },
    enableVolumeEncryption: { MachineAgentId: f.windows, EncryptedPasswordHex: hex.windows },
    changeEncryptionPassword: {
      MachineAgentId: f.linux,
      OldEncryptedPasswordHex: hex.linuxOld || "ab",
      NewEncryptedPasswordHex: hex.linuxNew,
    },
    deleteAgent: { MachineAgentId: f.windows },
    migrateVault: { SourceMachineAgentId: f.linux, DestinationMachineAgentId: f.windows },
    changeAgentLogLevel: { MachineAgentId: f.linux, LoggingLevelId: 3 },
    createBackupConfiguration: weeklyConfig(f.linux, { BackupConfigurationName: "Case test" }),
    updateBackupConfiguration: weeklyConfig(f.linux),
    enableBackupConfiguration: { Enable: false },
    requestBackupAction: { Action: "StartManual", Id: configId },
    createRestore: {
      BackupId: backupId,
      BackupMachineId: f.linux,
      DestinationMachineId: f.linux,
      DestinationPath: "/restored",
      OverwriteFiles: false,
    },
    updateRestore: {
      RestoreId: restoreId,
      BackupId: backupId,
      BackupMachineId: f.linux,
      DestinationMachineId: f.linux,
      OverwriteFiles: true,
      BackupConfigurationId: configId,
      DestinationPath: "/r",
      RestoreStateId: 0,
    },
    addRestoreFile: { FilePath: "/etc", Filter: 1, ParentId: restoreId, FileItemType: 1 },
    requestRestoreAction: { Action: "StartManual", Id: restoreId },
  };
  const body = bodies[op];
  if (!body) throw new Error(`no body for ${op}: add one`);
  return body;
}

function pathFor(op: (typeof operations)[number], w: Awaited<ReturnType<typeof world>>): string {
  return op.path
    .replace("/v1.0/{tenant_id}", "")
    .replace("{machineAgentId}", String(w.f.linux))
    .replace("{backupConfigurationId}", String(w.configId));
}

/** Documented top-level names of an operation's JSON body (over allOf and if/then). */
function documentedNames(op: (typeof operations)[number]): string[] {
  const doc = document as any;
  const deref = (s: any): any =>
    s?.$ref
      ? deref(
          s.$ref
            .slice(2)
            .split("/")
            .reduce((a: any, k: string) => a?.[k.replaceAll("~1", "/")], doc),
        )
      : s;
  const names = new Set<string>();
  const visit = (s: any) => {
    s = deref(s);
    if (!s || typeof s !== "object") return;
    for (const n of Object.keys(s.properties ?? {})) names.add(n);
    for (const k of ["allOf", "oneOf", "anyOf"]) (s[k] ?? []).forEach(visit);
    for (const k of ["if", "then", "else"]) if (s[k]) visit(s[k]);
  };
  visit(doc.paths[op.path][op.method.toLowerCase()].requestBody.content["application/json"].schema);
  return [...names];
}

const jsonOperations = operations.filter((op) => (op.requestMediaTypes as readonly string[]).includes("application/json"));

/** A spelling that differs only in case: lower-cased, or the first letter flipped when that is the same. */
const otherCase = (name: string) => (name.toLowerCase() !== name ? name.toLowerCase() : name[0]!.toUpperCase() + name.slice(1));

describe("field names differing only in case", () => {
  it("covers every operation with a JSON body", () => {
    expect(jsonOperations.length).toBe(15);
  });

  it.each(jsonOperations.map((op) => ({ op, id: op.operationId })))(
    "$id: each field in another case is answered as its canonical spelling",
    async ({ op }) => {
      const probe = await world(op.operationId);
      const fields = Object.keys(bodyFor(op.operationId, probe)).filter((k) => documentedNames(op).includes(k));
      expect(fields.length).toBeGreaterThan(0);
      const canonical = await (async () => {
        const w = await world(op.operationId);
        return w.f.c(op.method, pathFor(op, w), { body: bodyFor(op.operationId, w) });
      })();
      expect(canonical.status, JSON.stringify(canonical.body)).toBeLessThan(300);
      expect(canonical.headers.get("x-canonical-field-names")).toBeNull();
      for (const field of fields) {
        const w = await world(op.operationId);
        const body = bodyFor(op.operationId, w);
        const renamed = Object.fromEntries(Object.entries(body).map(([k, v]) => [k === field ? otherCase(field) : k, v]));
        const res = await w.f.c(op.method, pathFor(op, w), { body: renamed });
        expect(res.status, `${field} as ${otherCase(field)}: ${JSON.stringify(res.body)}`).toBe(canonical.status);
        expect(res.headers.get("x-canonical-field-names")).toBe(`${otherCase(field)}=${field}`);
      }
    },
    120_000,
  );

  it.each(jsonOperations.map((op) => ({ op, id: op.operationId })))(
    "$id: a refused body names the documented field an undocumented one is close to",
    async ({ op }) => {
      const w = await world();
      const body = bodyFor(op.operationId, w);
      const schemaNames = documentedNames(op);
      for (const field of Object.keys(body).filter((k) => schemaNames.includes(k))) {
        const typo = `${field}x`;
        // The typo is the only change, plus one invalid field so that the body is refused even when `field` is optional.
        const sent: Body = Object.fromEntries(Object.entries(body).map(([k, v]) => [k === field ? typo : k, v]));
        const required =
          (schemaNames.includes("MachineAgentId") && field !== "MachineAgentId" ? "MachineAgentId" : undefined) ??
          Object.keys(body).find((k) => k !== field);
        if (required) sent[required] = { not: "valid" };
        const res = await w.f.c(op.method, pathFor(op, w), { body: sent });
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.errors, `${op.operationId} ${typo}`).toContainEqual({
          in: "body",
          pointer: `/${typo}`,
          message: `is not a documented field; did you mean \`${field}\`?`,
        });
      }
    },
    60_000,
  );
});

describe("what the official clients send", () => {
  it("changes the log level with LoggingLevelid (cloudbackup's SetLogLevel) and answers 204", async () => {
    const f = await tenantFixture();
    const res = await f.c("PUT", "/agent/logging", {
      body: { MachineAgentId: f.linux, LoggingLevelid: 3 },
      contentType: "application/json; charset=utf-8",
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("x-canonical-field-names")).toBe("LoggingLevelid=LoggingLevelId");
    expect(f.app.world.tenants.get(f.tenant.tenantId)!.agents.get(f.linux)!.logLevel).toBe(3);
  });

  it("renames nested fields too, and reports them as pointers", async () => {
    const f = await tenantFixture();
    const body = weeklyConfig(f.linux, { Inclusions: [{ filePath: "/var/www", fileItemType: "Folder" }] });
    const res = await f.c("POST", "/backup-configuration", { body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.Inclusions[0]).toMatchObject({ FilePath: "/var/www", FileItemType: "Folder" });
    expect(res.headers.get("x-canonical-field-names")).toBe("Inclusions/0/filePath=FilePath, Inclusions/0/fileItemType=FileItemType");
  });

  it('keeps the 400 for {"Enabled": false} (cloudbackup\'s EnableDisableBackupConfiguration) and says did you mean Enable', async () => {
    const f = await tenantFixture();
    const id = await f.createConfig();
    const res = await f.c("POST", `/backup-configuration/enable/${id}`, { body: { Enabled: false } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { in: "body", pointer: "/Enabled", message: "is not a documented field; did you mean `Enable`?" },
      { in: "body", pointer: "/Enable", message: "is required" },
    ]);
    expect((await f.c("GET", `/backup-configuration/${id}`)).body.IsActive).toBe(true);
  });

  it("leaves a field alone when its canonical spelling is also sent", async () => {
    const f = await tenantFixture();
    const res = await f.c("POST", "/agent/enable", { body: { MachineAgentId: f.linux, Enable: true, enable: false } });
    expect(res.status).toBe(204);
    expect(res.headers.get("x-canonical-field-names")).toBeNull();
    expect((await f.c("GET", `/agent/${f.linux}`)).body.IsDisabled).toBe(false);
  });
});
