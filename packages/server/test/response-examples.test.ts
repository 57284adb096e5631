/**
 * Every documented success response example (of the public and the internal description)
 * has the shape of what a fresh demo world answers for the same call: the same property
 * names at every level, every item of a list shaped like the example's first item, and the
 * same primitive types, with null allowed where the schema allows it. Values may differ.
 *
 * Reads use the path parameters' examples. Writes send the operation's request example
 * first-hand (the one named like the response example, else the first), after the calls
 * it needs, as the request examples' own test does.
 */
import { document, internalDocument } from "@cloud-backup/spec";
import { describe, expect, it } from "vitest";
import { type Answer, testServer } from "./helpers.js";

type Doc = any;
type Server = ReturnType<typeof testServer>;

const resolver = (doc: Doc) => {
  const deref = (node: any): any =>
    node?.$ref && typeof node.$ref === "string" && node.$ref.startsWith("#/")
      ? deref(
          node.$ref
            .slice(2)
            .split("/")
            .reduce((a: any, k: string) => a?.[k.replaceAll("~1", "/").replaceAll("~0", "~")], doc),
        )
      : node;
  return deref;
};

interface Case {
  doc: Doc;
  operationId: string;
  method: string;
  path: string;
  status: string;
  name: string;
  value: unknown;
  schema: unknown;
}

const METHODS = ["get", "put", "post", "delete", "patch"];

function casesOf(doc: Doc): Case[] {
  const deref = resolver(doc);
  const cases: Case[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      for (const [status, response] of Object.entries<any>(op.responses ?? {})) {
        if (!status.startsWith("2")) continue;
        const media = deref(response).content?.["application/json"];
        if (!media) continue;
        const named = Object.entries<any>(media.examples ?? {}).map(([name, ex]) => [name, deref(ex).value] as const);
        if (media.example !== undefined) named.push(["example", media.example]);
        for (const [name, value] of named)
          cases.push({ doc, operationId: op.operationId, method, path, status, name, value, schema: media.schema });
      }
    }
  }
  return cases;
}

const cases = [...casesOf(document), ...casesOf(internalDocument)];

/** The path with every parameter replaced by its documented example. */
function fill(c: Case): string {
  const deref = resolver(c.doc);
  const item = c.doc.paths[c.path];
  const params = [...(item.parameters ?? []), ...(item[c.method].parameters ?? [])].map(deref);
  return c.path.replace(/\{([^}]+)\}/g, (_m, name: string) => String(params.find((p: any) => p.name === name)?.example ?? `{${name}}`));
}

interface RequestExample {
  name: string;
  mediaType: string;
  value: unknown;
}

function requestExamples(doc: Doc, path: string, method: string): RequestExample[] {
  const deref = resolver(doc);
  const content = doc.paths[path][method].requestBody?.content ?? {};
  return Object.entries<any>(content).flatMap(([mediaType, media]) =>
    Object.entries<any>(media.examples ?? {}).map(([name, ex]) => ({ name, mediaType, value: deref(ex).value })),
  );
}

async function sendExample(t: Server, c: Pick<Case, "doc" | "path" | "method">, example: RequestExample | undefined): Promise<Answer> {
  const path = fill(c as Case);
  if (!example) return t.call(c.method.toUpperCase(), path);
  const raw =
    example.mediaType === "application/x-www-form-urlencoded"
      ? new URLSearchParams(example.value as Record<string, string>).toString()
      : JSON.stringify(example.value);
  return t.call(c.method.toUpperCase(), path, { raw, contentType: example.mediaType });
}

function publicExample(operationId: string, name: string): [Pick<Case, "doc" | "path" | "method">, RequestExample] {
  for (const [path, item] of Object.entries<any>(document.paths as Doc)) {
    for (const method of METHODS) {
      if (item[method]?.operationId !== operationId) continue;
      const example = requestExamples(document, path, method).find((e) => e.name === name);
      if (example) return [{ doc: document, path, method }, example];
    }
  }
  throw new Error(`no request example ${name} of ${operationId}`);
}

/** Calls that must come first, on the same world, keyed by the request example they prepare. */
const PREREQUISITES: Record<string, Array<(t: Server) => Promise<Answer>>> = {
  StopBackupRequestExample: [(t) => sendExample(t, ...publicExample("requestBackupAction", "StartBackupRequestExample"))],
  UpdateRestoreRequestExample: [(t) => sendExample(t, ...publicExample("createRestore", "CreateRestoreRequestExample"))],
  AddRestoreFileRequestExample: [(t) => sendExample(t, ...publicExample("createRestore", "CreateRestoreRequestExample"))],
  StartRestoreRequestExample: [(t) => sendExample(t, ...publicExample("createRestore", "CreateRestoreRequestExample"))],
};

/** Calls that must come first for an operation's reads: a Cleanup exists once a backup expired. */
const WORLD_BEFORE: Record<string, (t: Server) => Promise<unknown>> = {
  getCleanupReport: (t) => t.advance(40 * 86_400),
};

/** The request example that goes with a response example: the one named alike, else the first. */
function requestFor(c: Case): RequestExample | undefined {
  const all = requestExamples(c.doc, c.path, c.method);
  const stem = c.name.replace(/ResponseExample$/, "");
  return all.find((e) => e.name.replace(/RequestExample$/, "") === stem) ?? all[0];
}

// Schema walking, enough for the descriptions' schemas: $ref, allOf/oneOf/anyOf, type lists.
function branches(doc: Doc, schema: any): any[] {
  const s = resolver(doc)(schema);
  if (!s || typeof s !== "object") return [];
  return [s, ...["allOf", "oneOf", "anyOf"].flatMap((k) => (s[k] ?? []).flatMap((b: any) => branches(doc, b)))];
}
function allowsNull(doc: Doc, schema: any): boolean {
  return branches(doc, schema).some(
    (s) =>
      s.type === "null" ||
      (Array.isArray(s.type) && s.type.includes("null")) ||
      (Array.isArray(s.enum) && s.enum.includes(null)) ||
      s.const === null,
  );
}
function propertySchema(doc: Doc, schema: any, key: string): any {
  const all = branches(doc, schema);
  return (
    all.find((s) => s.properties?.[key])?.properties[key] ??
    all.find((s) => s.additionalProperties && typeof s.additionalProperties === "object")?.additionalProperties
  );
}
function itemSchema(doc: Doc, schema: any): any {
  return branches(doc, schema).find((s) => s.items)?.items;
}

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** Where the demo world's answer and the example differ in shape, as readable lines. */
export function shapeProblems(doc: Doc, answer: unknown, example: unknown, schema: unknown, at = ""): string[] {
  const where = at || "(body)";
  if (answer === null || example === null) {
    if (answer === example || allowsNull(doc, schema)) return [];
    return [`${where} is ${kind(answer)} in the answer, ${kind(example)} in the example, and the schema does not allow null`];
  }
  if (kind(answer) !== kind(example)) return [`${where} is ${kind(answer)} in the answer, ${kind(example)} in the example`];
  if (Array.isArray(answer) && Array.isArray(example)) {
    const items = itemSchema(doc, schema);
    if (!example.length) return answer.length ? [`${where} is an empty list in the example, the answer has items`] : [];
    const first = example[0];
    const problems = [
      ...example
        .slice(1)
        .flatMap((item, i) =>
          shapeProblems(doc, item, first, items, `${at}/${i + 1} (example)`).map((p) => `${p} (against the example's first item)`),
        ),
      ...answer.flatMap((item, i) => shapeProblems(doc, item, first, items, `${at}/${i}`)),
    ];
    return [...new Set(problems.map((p) => p.replaceAll(/\/\d+(?=\/| |$)/g, "/*")))];
  }
  if (typeof answer === "object" && typeof example === "object") {
    const a = answer as Record<string, unknown>;
    const e = example as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])];
    return keys.flatMap((k) =>
      !(k in a)
        ? [`${at}/${k} is in the example only`]
        : !(k in e)
          ? [`${at}/${k} is in the answer only (${kind(a[k])})`]
          : shapeProblems(doc, a[k], e[k], propertySchema(doc, schema, k), `${at}/${k}`),
    );
  }
  return [];
}

describe("response examples against the demo world", () => {
  it("covers every operation with a documented success answer", () => {
    expect(new Set(cases.map((c) => c.operationId)).size).toBeGreaterThanOrEqual(28);
  });

  it("has the shape of the demo world's answer, for every example", async () => {
    const problems: string[] = [];
    for (const c of cases) {
      const t = testServer();
      const request = requestFor(c);
      let failed = false;
      for (const step of request ? (PREREQUISITES[request.name] ?? []) : []) {
        const res = await step(t);
        if (res.status >= 300) {
          problems.push(`${c.operationId} ${c.name}: a prerequisite answered ${res.status} ${JSON.stringify(res.body)}`);
          failed = true;
        }
      }
      if (failed) continue;
      await WORLD_BEFORE[c.operationId]?.(t);
      const res = await sendExample(t, c, request);
      if (String(res.status) !== c.status) {
        problems.push(
          `${c.operationId} ${c.name}: the demo world answered ${res.status}, the example documents ${c.status} (${JSON.stringify(res.body).slice(0, 200)})`,
        );
        continue;
      }
      for (const p of shapeProblems(c.doc, res.body, c.value, c.schema)) problems.push(`${c.operationId} ${c.name}: ${p}`);
    }
    expect(problems, `\n${problems.join("\n")}\n`).toEqual([]);
  });
});
