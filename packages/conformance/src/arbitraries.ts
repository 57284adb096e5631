/**
 * fast-check arbitraries from the description's JSON Schemas: requests that are valid by
 * the schemas, and the same requests broken on purpose (a wrong type, a value out of range,
 * a required field left out, a body that is not JSON).
 */
import fc from "fast-check";
import { deref, type Json, type Operation, type Schema, type Spec } from "./spec.js";

/** Ids that exist in the account, by kind, so that valid requests reach real resources. */
export interface IdPools {
  agent: number[];
  configuration: number[];
  backup: number[];
  restore: number[];
  restoreFile: number[];
  hostServer: string[];
}

/** Which pool a parameter or property draws from, by name. */
const POOL_OF: Record<string, keyof IdPools> = {
  machineAgentId: "agent",
  agentId: "agent",
  MachineAgentId: "agent",
  SourceMachineAgentId: "agent",
  DestinationMachineAgentId: "agent",
  BackupMachineId: "agent",
  DestinationMachineId: "agent",
  backupConfigurationId: "configuration",
  BackupConfigurationId: "configuration",
  backupId: "backup",
  BackupId: "backup",
  restoreId: "restore",
  RestoreId: "restore",
  ParentId: "restore",
  hostServerId: "hostServer",
};

/** A request the robustness checks send. */
export interface GeneratedRequest {
  operationId: string;
  method: string;
  /** The path with its parameters filled in. */
  path: string;
  params: Record<string, string>;
  /** A JSON body, when the operation takes one (absent: no body). */
  body?: unknown;
  /** A raw body sent as is (malformed JSON). */
  raw?: string;
  /** What was broken, for invalid requests. */
  mutation?: string;
}

export interface GeneratorOptions {
  spec: Spec;
  tenant: string;
  pools: IdPools;
  /** Whether ids may come from the pools (false for mutating operations outside a fresh tenant). */
  usePools: (operation: Operation) => boolean;
  /** Whether ids that are not in the pools stay far from real ones (outside a fresh tenant). */
  farIds: boolean;
}

interface Flat {
  types?: string[];
  enum?: unknown[];
  const?: { value: unknown };
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  properties: Record<string, Schema>;
  required: string[];
  items?: Schema;
  maxItems?: number;
  alternatives?: Schema[];
  conditionals: Array<{ if: Json; then: Json }>;
}

/** Resolves `$ref` and `allOf` into one flat schema (conditionals kept aside). */
export function flatten(doc: unknown, schema: Schema | undefined, into?: Flat): Flat {
  const flat: Flat = into ?? { properties: {}, required: [], conditionals: [] };
  const s = deref(doc, schema);
  if (!s) return flat;
  const narrow = (types: string[]) =>
    (flat.types = flat.types ? flat.types.filter((t) => types.includes(t) || (t === "number" && types.includes("integer"))) : types);
  if (s.type !== undefined) narrow((Array.isArray(s.type) ? s.type : [s.type]).map(String));
  if (Array.isArray(s.enum))
    flat.enum = flat.enum
      ? flat.enum.filter((v) => (s.enum as unknown[]).some((w) => JSON.stringify(w) === JSON.stringify(v)))
      : [...s.enum];
  if ("const" in s) flat.const = { value: s.const };
  if (typeof s.minimum === "number") flat.minimum = Math.max(flat.minimum ?? -Infinity, s.minimum);
  if (typeof s.maximum === "number") flat.maximum = Math.min(flat.maximum ?? Infinity, s.maximum);
  if (typeof s.minLength === "number") flat.minLength = Math.max(flat.minLength ?? 0, s.minLength);
  if (typeof s.maxLength === "number") flat.maxLength = Math.min(flat.maxLength ?? Infinity, s.maxLength);
  if (typeof s.pattern === "string") flat.pattern = s.pattern;
  if (typeof s.format === "string") flat.format = s.format;
  if (typeof s.maxItems === "number") flat.maxItems = s.maxItems;
  if (s.items) flat.items = s.items as Schema;
  if (s.properties) {
    for (const [k, v] of Object.entries(s.properties as Record<string, Schema>)) {
      flat.properties[k] = flat.properties[k] ? { allOf: [flat.properties[k], v] } : v;
    }
  }
  if (Array.isArray(s.required)) flat.required = [...new Set([...flat.required, ...(s.required as string[])])];
  const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  const folded = nullableEnum(doc, s);
  if (folded) flatten(doc, folded, flat);
  else if (Array.isArray(alternatives)) flat.alternatives = alternatives;
  if (s.if && s.then) flat.conditionals.push({ if: s.if as Json, then: s.then as Json });
  // A chain of if/then/else whose conditions exclude each other is a list of conditionals.
  if (s.if && s.else) flatten(doc, s.else as Schema, flat);
  for (const part of (s.allOf as Schema[] | undefined) ?? []) flatten(doc, part, flat);
  return flat;
}

/** `oneOf: [an enum, {type: "null"}]` (how nullable enums are written for generators) as one enum that admits null. */
function nullableEnum(doc: unknown, s: Json): Schema | undefined {
  const parts = s.oneOf as Schema[] | undefined;
  if (!Array.isArray(parts) || parts.length !== 2) return undefined;
  const resolved = parts.map((p) => deref(doc, p));
  const nul = resolved.findIndex((p) => p?.type === "null");
  const other = resolved[1 - nul];
  if (nul < 0 || !other || !Array.isArray(other.enum) || other.type === undefined) return undefined;
  const types = Array.isArray(other.type) ? other.type : [other.type];
  return { type: [...types, "null"], enum: [...(other.enum as unknown[]), null] };
}

function withoutAlternatives(flat: Flat): Flat {
  const { alternatives: _drop, ...rest } = flat;
  return { ...rest, properties: { ...rest.properties }, required: [...rest.required], conditionals: [...rest.conditionals] };
}

/** Whether an object matches the simple `if` of a conditional (`properties.X.const`). */
function matchesIf(value: Record<string, unknown>, condition: Json): boolean {
  const props = (condition.properties ?? {}) as Record<string, Json>;
  for (const name of (condition.required as string[] | undefined) ?? []) if (!(name in value)) return false;
  return Object.entries(props).every(([name, s]) => !(name in value) || !("const" in s) || value[name] === s.const);
}

/**
 * Values the description's own words suggest for some free-text fields (a Windows time-zone
 * name, absolute paths), so that valid requests also get past the server's own checks now
 * and then instead of always meeting a 400.
 */
const HINTS: Record<string, fc.Arbitrary<string>> = {
  TimeZoneId: fc.constantFrom("Eastern Standard Time", "Pacific Standard Time", "UTC", "GMT Standard Time", "India Standard Time"),
  FilePath: fc.constantFrom("/var/www/html", "/etc", "/home/deploy/notes.txt", "C:\\Websites", "C:\\Users\\Administrator\\Documents"),
  DestinationPath: fc.constantFrom("/tmp/restore", "/srv/restored", "C:\\Restored", "D:\\Restore"),
};

export class SchemaArbitraries {
  constructor(private readonly options: GeneratorOptions) {}

  private get doc(): unknown {
    return this.options.spec.doc;
  }

  /** An id: from the pool of its kind (when allowed and known) or any valid one. */
  private idArbitrary(name: string | undefined, flat: Flat, usePools: boolean): fc.Arbitrary<unknown> | undefined {
    const poolName = name ? POOL_OF[name] : undefined;
    if (!poolName) return undefined;
    const pool = this.options.pools[poolName] as unknown[];
    const fresh =
      poolName === "hostServer"
        ? fc.uuid()
        : this.options.farIds
          ? fc.integer({ min: 2_100_000_000, max: Math.min(flat.maximum ?? 2_147_483_647, 2_147_483_647) })
          : fc.integer({ min: Math.max(flat.minimum ?? 1, 1), max: Math.min(flat.maximum ?? 2_147_483_647, 2_147_483_647) });
    if (!usePools || !pool.length) return fresh;
    return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fresh });
  }

  /** Values valid for a schema. `name` is the property or parameter name (for id pools). */
  value(schema: Schema | undefined, name?: string, usePools = true, depth = 0): fc.Arbitrary<unknown> {
    return this.fromFlat(flatten(this.doc, schema), name, usePools, depth);
  }

  private fromFlat(flat: Flat, name: string | undefined, usePools: boolean, depth: number): fc.Arbitrary<unknown> {
    if (flat.const) return fc.constant(flat.const.value);
    if (flat.alternatives?.length) {
      const base = withoutAlternatives(flat);
      return fc.oneof(
        ...flat.alternatives.map((alt) => this.fromFlat(flatten(this.doc, alt, withoutAlternatives(base)), name, usePools, depth)),
      );
    }
    if (flat.enum) {
      const allowed = flat.types
        ? flat.enum.filter((v) => flat.types!.includes(v === null ? "null" : Number.isInteger(v) ? "integer" : typeof v))
        : flat.enum;
      return allowed.length ? fc.constantFrom(...allowed) : fc.constant(null);
    }
    const types = flat.types ?? (Object.keys(flat.properties).length ? ["object"] : ["string"]);
    if (types.length > 1) return fc.oneof(...types.map((t) => this.fromFlat({ ...flat, types: [t] }, name, usePools, depth)));
    switch (types[0]) {
      case "null":
        return fc.constant(null);
      case "boolean":
        return fc.boolean();
      case "integer":
        return (
          this.idArbitrary(name, flat, usePools) ??
          fc.integer({ min: Math.max(flat.minimum ?? -1000, -2_147_483_648), max: Math.min(flat.maximum ?? 100_000, 2_147_483_647) })
        );
      case "number":
        return fc.double({ min: flat.minimum ?? -1e6, max: flat.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
      case "string":
        return this.string(flat, name, usePools);
      case "array": {
        const items = this.value(flat.items, undefined, usePools, depth + 1);
        return fc.array(items, { maxLength: Math.min(flat.maxItems ?? 3, depth > 1 ? 1 : 3) });
      }
      default:
        return this.object(flat, usePools, depth);
    }
  }

  private string(flat: Flat, name: string | undefined, usePools: boolean): fc.Arbitrary<string> {
    const id = this.idArbitrary(name, flat, usePools);
    if (id) return id as fc.Arbitrary<string>;
    const hint = name ? HINTS[name] : undefined;
    if (hint && !flat.pattern && !flat.format) {
      const min = flat.minLength ?? 0;
      return fc.oneof(
        { weight: 2, arbitrary: hint },
        { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, Math.min(flat.maxLength ?? 24, 24)) }) },
      );
    }
    const min = flat.minLength ?? 0;
    const max = Math.max(min, Math.min(flat.maxLength ?? 24, 24));
    if (flat.format === "uuid") return fc.uuid();
    if (flat.pattern) {
      return fc
        .stringMatching(new RegExp(flat.pattern), { size: "xsmall" })
        .filter((s) => s.length >= min && s.length <= (flat.maxLength ?? Infinity));
    }
    return fc.string({ minLength: min, maxLength: max });
  }

  private object(flat: Flat, usePools: boolean, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, schema] of Object.entries(flat.properties)) model[key] = this.value(schema, key, usePools, depth + 1);
    const base = fc.record(model, { requiredKeys: flat.required.filter((k) => k in model) }) as fc.Arbitrary<Record<string, unknown>>;
    if (!flat.conditionals.length) return base;
    // Conditionals (`if Frequency is Weekly then DayOfWeekId is an integer`): regenerate the
    // constrained properties so that the object satisfies the branch it falls in.
    return base.chain((value) => {
      const overrides: Record<string, fc.Arbitrary<unknown>> = {};
      for (const { if: condition, then } of flat.conditionals) {
        if (!matchesIf(value, condition)) continue;
        for (const [key, extra] of Object.entries((then.properties ?? {}) as Record<string, Schema>)) {
          if (!(key in value) && !flat.required.includes(key)) continue;
          overrides[key] = this.value({ allOf: [flat.properties[key] ?? {}, extra] }, key, usePools, depth + 1);
        }
      }
      return Object.keys(overrides).length ? fc.record(overrides).map((o) => ({ ...value, ...o })) : fc.constant(value);
    });
  }

  /** A valid request for an operation. */
  request(operation: Operation): fc.Arbitrary<GeneratedRequest> {
    const usePools = this.options.usePools(operation);
    const params: Record<string, fc.Arbitrary<unknown>> = {};
    for (const p of operation.pathParams) {
      params[p.name] = p.name === "tenant_id" ? fc.constant(this.options.tenant) : this.value(p.schema, p.name, usePools);
    }
    const body = operation.requestSchema ? this.value(operation.requestSchema, undefined, usePools) : fc.constant(undefined);
    return fc.record({ params: fc.record(params), body }).map(({ params: values, body: b }) => {
      const strings = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
      return {
        operationId: operation.operationId,
        method: operation.method,
        path: fillPath(operation.path, strings),
        params: strings,
        ...(b !== undefined ? { body: b } : {}),
      };
    });
  }
}

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? "1"));
}

export type MutationKind = "wrong-type" | "out-of-range" | "missing-required" | "malformed-json";

interface Target {
  /** `body` property or `path` parameter. */
  in: "body" | "path";
  name: string;
  schema: Schema;
}

/** Values of the wrong JSON type for a schema (candidates; the caller checks they are invalid). */
function wrongTypeValues(flat: Flat): unknown[] {
  const types = flat.types ?? [];
  const candidates: unknown[] = [];
  if (!types.includes("string")) candidates.push("not-a-number", "12");
  if (!types.includes("integer") && !types.includes("number")) candidates.push(12345, 1.5);
  if (types.includes("integer")) candidates.push(1.5);
  if (!types.includes("boolean")) candidates.push(true);
  if (!types.includes("object")) candidates.push({ unexpected: "object" });
  if (!types.includes("array")) candidates.push([1, 2]);
  return candidates;
}

/** Values of the right type but outside the schema's range, enum, length or pattern. */
function outOfRangeValues(flat: Flat): unknown[] {
  const out: unknown[] = [];
  if (flat.enum?.length) {
    const numbers = flat.enum.filter((v): v is number => typeof v === "number");
    if (numbers.length) out.push(Math.max(...numbers) + 7, Math.min(...numbers) - 1);
    if (flat.enum.some((v) => typeof v === "string")) out.push("NotAnAllowedValue");
  }
  if (typeof flat.maximum === "number") out.push(flat.maximum + 1);
  if (typeof flat.minimum === "number") out.push(flat.minimum - 1);
  if (typeof flat.maxLength === "number" && flat.maxLength < 5000) out.push("x".repeat(flat.maxLength + 1));
  if (typeof flat.minLength === "number" && flat.minLength > 0) out.push("");
  if (flat.pattern) out.push("!! not matching !!");
  if (flat.format === "uuid") out.push("not-a-uuid");
  return out;
}

/** Strings that are not JSON, from a valid body's text. */
function malformed(text: string): fc.Arbitrary<string> {
  const cuts = text.length > 2 ? fc.integer({ min: 1, max: text.length - 1 }).map((n) => text.slice(0, n)) : fc.constant("{");
  return fc
    .oneof(
      cuts,
      fc.constantFrom("{", "{'MachineAgentId': 1}", '{"Id": 1,}', "[1, 2", "undefined", "nul", `${text}}`, `${text.slice(0, -1)},}`),
    )
    .filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return s.trim().length > 0;
      }
    });
}

/** Breaks a valid request in one of four ways; the result is invalid for the description. */
export function mutate(
  spec: Spec,
  operation: Operation,
  kind: MutationKind,
  valid: GeneratedRequest,
): fc.Arbitrary<GeneratedRequest> | undefined {
  const doc = spec.doc;
  const bodyFlat = operation.requestSchema ? flatten(doc, operation.requestSchema) : undefined;
  const body =
    valid.body && typeof valid.body === "object" && !Array.isArray(valid.body) ? (valid.body as Record<string, unknown>) : undefined;
  if (kind === "malformed-json") {
    if (!operation.requestSchema) return undefined;
    return malformed(JSON.stringify(valid.body ?? {})).map((raw) => ({
      ...valid,
      body: undefined,
      raw,
      mutation: `a body that is not JSON: ${raw.slice(0, 60)}`,
    }));
  }
  if (kind === "missing-required") {
    const present = (bodyFlat?.required ?? []).filter((k) => body && k in body);
    if (!present.length || !body) return undefined;
    return fc.constantFrom(...present).map((name) => {
      const { [name]: _drop, ...rest } = body;
      return { ...valid, body: rest, mutation: `required body property ${name} left out` };
    });
  }
  const targets: Target[] = [];
  for (const p of operation.pathParams) if (p.name !== "tenant_id") targets.push({ in: "path", name: p.name, schema: p.schema });
  if (body && bodyFlat)
    for (const [name, schema] of Object.entries(bodyFlat.properties)) if (name in body) targets.push({ in: "body", name, schema });
  const options: Array<{ target: Target; value: unknown }> = [];
  for (const target of targets) {
    const flat = flatten(doc, target.schema);
    const values = kind === "wrong-type" ? wrongTypeValues(flat) : outOfRangeValues(flat);
    const validate = spec.validator(target.schema);
    for (const value of values) {
      if (target.in === "path") {
        // Path parameters arrive as text: an integer parameter is wrong when the text is not digits.
        const text = String(value);
        const integer = (flat.types ?? []).includes("integer");
        const invalid = integer ? !/^[0-9]+$/.test(text) || !validate(Number(text)) : !validate(text);
        if (invalid && text.length && !/[/?#]/.test(text)) options.push({ target, value: text });
      } else if (!validate(value)) {
        options.push({ target, value });
      }
    }
  }
  if (!options.length) return undefined;
  return fc.constantFrom(...options).map(({ target, value }) => {
    if (target.in === "path") {
      const params = { ...valid.params, [target.name]: String(value) };
      return {
        ...valid,
        params,
        path: fillPath(operation.path, params),
        mutation: `path parameter ${target.name} = ${JSON.stringify(value)} (${kind})`,
      };
    }
    return {
      ...valid,
      body: { ...body, [target.name]: value },
      mutation: `body property ${target.name} = ${JSON.stringify(value).slice(0, 60)} (${kind})`,
    };
  });
}
