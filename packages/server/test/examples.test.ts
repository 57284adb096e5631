/**
 * Every request example of the description, sent verbatim to a fresh demo world, succeeds;
 * and its answer has the shape of the operation's own response example for that status.
 * Path parameters come from the parameters' examples. A few examples act on something an
 * earlier call makes (a restore in Creating, a running backup): those calls run first.
 */
import { document } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { type Answer, testServer } from "./helpers.js";

const doc = document as any;
const deref = (node: any): any =>
  node?.$ref
    ? deref(
        node.$ref
          .slice(2)
          .split("/")
          .reduce((a: any, k: string) => a?.[k.replaceAll("~1", "/").replaceAll("~0", "~")], doc),
      )
    : node;

interface Example {
  operationId: string;
  method: string;
  path: string;
  name: string;
  mediaType: string;
  value: unknown;
}

function exampleOf(operationId: string, name: string): Example {
  const found = examples.find((e) => e.operationId === operationId && e.name === name);
  if (!found) throw new Error(`no request example ${name} of ${operationId}`);
  return found;
}

const examples: Example[] = [];
for (const [path, item] of Object.entries<any>(doc.paths)) {
  for (const method of ["get", "put", "post", "delete"]) {
    const op = item[method];
    for (const [mediaType, media] of Object.entries<any>(op?.requestBody?.content ?? {})) {
      for (const [name, ex] of Object.entries<any>(media.examples ?? {}))
        examples.push({ operationId: op.operationId, method, path, name, mediaType, value: deref(ex).value });
    }
  }
}

/** The path with every parameter replaced by its documented example. */
function fill(example: Example): string {
  const item = doc.paths[example.path];
  const params = [...(item.parameters ?? []), ...(item[example.method].parameters ?? [])].map(deref);
  return example.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    String(params.find((p: any) => p.name === name)?.example ?? `{${name}}`),
  );
}

async function send(t: ReturnType<typeof testServer>, example: Example): Promise<Answer> {
  const raw =
    example.mediaType === "application/x-www-form-urlencoded"
      ? new URLSearchParams(example.value as Record<string, string>).toString()
      : JSON.stringify(example.value);
  return t.call(example.method.toUpperCase(), fill(example), { raw, contentType: example.mediaType });
}

/** Calls that must come first, on the same world. */
const PREREQUISITES: Record<string, Array<(t: ReturnType<typeof testServer>) => Promise<Answer>>> = {
  StopBackupRequestExample: [(t) => send(t, exampleOf("requestBackupAction", "StartBackupRequestExample"))],
  UpdateRestoreRequestExample: [(t) => send(t, exampleOf("createRestore", "CreateRestoreRequestExample"))],
  AddRestoreFileRequestExample: [(t) => send(t, exampleOf("createRestore", "CreateRestoreRequestExample"))],
  StartRestoreRequestExample: [(t) => send(t, exampleOf("createRestore", "CreateRestoreRequestExample"))],
  StopRestoreRequestExample: [
    (t) => send(t, exampleOf("createRestore", "CreateRestoreRequestExample")),
    (t) => send(t, exampleOf("requestRestoreAction", "StartRestoreRequestExample")),
  ],
  // A restore of the encrypted database server's latest backup, to itself.
  StartEncryptedRestoreRequestExample: [
    async (t) => {
      const backups = (await t.call("GET", "/v1.0/1234/backup/completed/180001")).body as Array<{ BackupId: number }>;
      return t.call("PUT", "/v1.0/1234/restore", {
        body: {
          BackupId: backups.at(-1)!.BackupId,
          BackupMachineId: 95874,
          DestinationMachineId: 95874,
          DestinationPath: "C:\\Restored\\",
          OverwriteFiles: false,
        },
      });
    },
  ],
};

/** The shape of a JSON value: its type, and the shapes of an object's fields or of an array's first item. */
function shape(value: unknown): unknown {
  if (value === null) return "null";
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (typeof value === "object")
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, shape((value as Record<string, unknown>)[k])]),
    );
  return typeof value;
}

/** Equal shapes, where null matches anything (a field that is sometimes null) and an empty list matches any list. */
function sameShape(actual: unknown, expected: unknown, at = ""): string[] {
  if (actual === "null" || expected === "null") return [];
  if (Array.isArray(actual) && Array.isArray(expected))
    return actual.length && expected.length ? sameShape(actual[0], expected[0], `${at}/0`) : [];
  if (
    actual &&
    expected &&
    typeof actual === "object" &&
    typeof expected === "object" &&
    !Array.isArray(actual) &&
    !Array.isArray(expected)
  ) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    return [...keys].flatMap((k) =>
      !(k in a)
        ? [`${at}/${k} is in the example only`]
        : !(k in e)
          ? [`${at}/${k} is in the answer only`]
          : sameShape(a[k], e[k], `${at}/${k}`),
    );
  }
  // Primitive values may differ (a number or a hex string for ExponentHex, say): only the structure must agree.
  const kind = (v: unknown) => (Array.isArray(v) ? "array" : typeof v === "object" ? "object" : "value");
  return kind(actual) === kind(expected) ? [] : [`${at || "(body)"} is ${kind(actual)} in the answer, ${kind(expected)} in the example`];
}

describe("request examples against the demo world", () => {
  it("covers every operation that takes a body", () => {
    expect(new Set(examples.map((e) => e.operationId)).size).toBe(15);
  });

  it.each(examples.map((e) => ({ ...e, id: `${e.operationId} ${e.name}` })))(
    "$id succeeds verbatim, and answers the shape of the response example",
    async (example) => {
      const t = testServer();
      for (const step of PREREQUISITES[example.name] ?? []) {
        const res = await step(t);
        expect(res.status, `prerequisite of ${example.name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      }
      const res = await send(t, example);
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
      const response = deref(doc.paths[example.path][example.method].responses[String(res.status)]);
      const documented = Object.values<any>(response?.content?.["application/json"]?.examples ?? {}).map((ex) => deref(ex).value);
      if (!documented.length) return;
      const problems = documented.map((value) => sameShape(shape(res.body), shape(value)));
      expect(
        problems.some((p) => p.length === 0),
        problems.map((p) => p.join("; ")).join("\n"),
      ).toBe(true);
    },
  );
});
