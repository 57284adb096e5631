import { describe, expect, it } from "vitest";
import { document } from "../src/index.js";
import { escapePointer, specAjv } from "./ajv.js";

interface Found {
  where: string;
  schemaPointer: string;
  value: unknown;
}

/** Every example in the description, with the pointer of the schema it must satisfy. */
function collectExamples(): Found[] {
  const found: Found[] = [];
  const walkSchema = (schema: unknown, pointer: string) => {
    if (!schema || typeof schema !== "object") return;
    const s = schema as Record<string, unknown>;
    if (Array.isArray(s.examples) && !("$ref" in s)) {
      s.examples.forEach((value, i) => found.push({ where: `${pointer}/examples/${i}`, schemaPointer: pointer, value }));
    }
    for (const [key, child] of Object.entries(s)) {
      if (key === "examples" || key === "example") continue;
      if (child && typeof child === "object") walkSchema(child, `${pointer}/${escapePointer(key)}`);
    }
  };
  const mediaExamples = (content: Record<string, any> | undefined, pointer: string) => {
    for (const [mediaType, media] of Object.entries(content ?? {})) {
      const mp = `${pointer}/content/${escapePointer(mediaType)}`;
      if (!media.schema) continue;
      if ("example" in media) found.push({ where: `${mp}/example`, schemaPointer: `${mp}/schema`, value: media.example });
      for (const [name, ex] of Object.entries<any>(media.examples ?? {})) {
        found.push({ where: `${mp}/examples/${name}`, schemaPointer: `${mp}/schema`, value: ex.value });
      }
    }
  };
  const doc = document as any;
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      if (method === "parameters") continue;
      const p = `#/paths/${escapePointer(path)}/${method}`;
      mediaExamples(op.requestBody?.content, `${p}/requestBody`);
      for (const [status, res] of Object.entries<any>(op.responses)) {
        if (!res.$ref) mediaExamples(res.content, `${p}/responses/${status}`);
      }
      (op.parameters ?? []).forEach((param: any, i: number) => {
        if (!param.$ref && "example" in param)
          found.push({ where: `${p}/parameters/${i}/example`, schemaPointer: `${p}/parameters/${i}/schema`, value: param.example });
      });
    }
  }
  for (const [name, res] of Object.entries<any>(doc.components.responses ?? {})) {
    mediaExamples(res.content, `#/components/responses/${escapePointer(name)}`);
  }
  for (const [name, param] of Object.entries<any>(doc.components.parameters ?? {})) {
    if ("example" in param)
      found.push({
        where: `#/components/parameters/${name}/example`,
        schemaPointer: `#/components/parameters/${name}/schema`,
        value: param.example,
      });
  }
  walkSchema(doc.components.schemas, "#/components/schemas");
  return found;
}

const examples = collectExamples();
const ajv = specAjv();

describe("examples in the description", () => {
  it("finds examples for every operation's success response and every request body", () => {
    const doc = document as any;
    const missing: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (method === "parameters") continue;
        const p = `#/paths/${escapePointer(path)}/${method}`;
        if (op.requestBody && !examples.some((e) => e.where.startsWith(`${p}/requestBody`))) missing.push(`${op.operationId} request`);
        for (const [status, res] of Object.entries<any>(op.responses)) {
          if (status.startsWith("2") && res.content && !examples.some((e) => e.where.startsWith(`${p}/responses/${status}`))) {
            missing.push(`${op.operationId} ${status}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
    expect(examples.length).toBeGreaterThan(60);
  });

  it.each(examples.map((e) => [e.where, e] as const))("%s is valid against its schema", (_where, example) => {
    const validate = ajv.getSchema(`spec${example.schemaPointer}`) ?? ajv.compile({ $ref: `spec${example.schemaPointer}` });
    const ok = validate(example.value);
    expect(ok ? [] : validate.errors).toEqual([]);
  });
});

describe("schemas reject what the reference's examples got wrong", () => {
  const cases: Array<{ name: string; schema: string; value: unknown }> = [
    { name: "a string boolean", schema: "EnableAgentRequest", value: { MachineAgentId: 1, Enable: "true" } },
    { name: "a weekly schedule without a day", schema: "CreateBackupConfigurationRequest", value: weekly({ DayOfWeekId: null }) },
    {
      name: "an hour on a Manually schedule",
      schema: "CreateBackupConfigurationRequest",
      value: weekly({ Frequency: "Manually", DayOfWeekId: null }),
    },
    {
      name: "an hourly schedule without an interval",
      schema: "CreateBackupConfigurationRequest",
      value: weekly({ Frequency: "Hourly", StartTimeHour: null, StartTimeMinute: null, StartTimeAmPm: null, DayOfWeekId: null }),
    },
    { name: "a retention of 45 days", schema: "CreateBackupConfigurationRequest", value: weekly({ VersionRetention: 45 }) },
    { name: "the AM|PM placeholder", schema: "CreateBackupConfigurationRequest", value: weekly({ StartTimeAmPm: "AM|PM" }) },
    { name: "a start hour of 13", schema: "CreateBackupConfigurationRequest", value: weekly({ StartTimeHour: 13 }) },
    { name: "non-hex ciphertext", schema: "EnableEncryptionRequest", value: { MachineAgentId: 1, EncryptedPasswordHex: "319fgh" } },
    { name: "an unknown action", schema: "BackupActionRequest", value: { Action: "Pause", Id: 1 } },
    { name: "a date that is not a Microsoft date", schema: "MsDate", value: "2013-01-10T12:00:00Z" },
    {
      name: "the typo DestinationMachineAgentID alone",
      schema: "MigrateVaultRequest",
      value: { SourceMachineAgentId: 1, DestinationMachineAgentID: 2 },
    },
  ];
  it.each(cases.map((c) => [c.name, c] as const))("rejects %s", (_name, c) => {
    const validate = ajv.compile({ $ref: `spec#/components/schemas/${c.schema}` });
    expect(validate(c.value)).toBe(false);
  });

  it("accepts every valid schedule shape", () => {
    const validate = ajv.compile({ $ref: "spec#/components/schemas/CreateBackupConfigurationRequest" });
    const shapes = [
      weekly({}),
      weekly({ Frequency: "Daily", DayOfWeekId: null }),
      weekly({ Frequency: "Hourly", StartTimeHour: null, StartTimeMinute: null, StartTimeAmPm: null, DayOfWeekId: null, HourInterval: 4 }),
      weekly({ Frequency: "Manually", StartTimeHour: null, StartTimeMinute: null, StartTimeAmPm: "", DayOfWeekId: null }),
    ];
    for (const shape of shapes) expect(validate(shape) ? [] : validate.errors).toEqual([]);
  });
});

function weekly(overrides: Record<string, unknown>) {
  return {
    MachineAgentId: 202743,
    BackupConfigurationName: "Weekly Website Backup",
    IsActive: true,
    VersionRetention: 30,
    MissedBackupActionId: 1,
    Frequency: "Weekly",
    StartTimeHour: 7,
    StartTimeMinute: 30,
    StartTimeAmPm: "PM",
    DayOfWeekId: 5,
    HourInterval: null,
    TimeZoneId: "Eastern Standard Time",
    NotifyRecipients: "webmaster@example.com",
    NotifySuccess: true,
    NotifyFailure: true,
    ...overrides,
  };
}
