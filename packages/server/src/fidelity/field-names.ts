/**
 * Forgiving body field names, as the service's ASP.NET JSON binding was: a field that differs
 * from a documented one only in letter case is renamed to the documented spelling before
 * validation (and the rewrite reported in `X-Canonical-Field-Names`); when a body is refused,
 * an undocumented field close to a documented one gets a "did you mean" problem.
 */
import { deref as followRefs, escapePointer as escape } from "@cloud-backup/spec/validate";
import type { ErrorObject, ValidateFunction } from "ajv";

type Json = Record<string, unknown>;

/** The header listing the rewrites, `<field as sent>=<canonical name>` separated by commas. */
export const CANONICAL_HEADER = "X-Canonical-Field-Names";

const renames = new WeakMap<object, string[]>();

const propertyCache = new WeakMap<object, Map<string, unknown[]>>();
const itemCache = new WeakMap<object, unknown[]>();

/** The documented property names of an object schema, each with its own schema (merged over allOf/oneOf/anyOf/if/then/else). */
function propertiesOf(doc: unknown, schema: unknown): Map<string, unknown[]> {
  if (!schema || typeof schema !== "object") return new Map();
  let found = propertyCache.get(schema);
  if (!found) propertyCache.set(schema, (found = collectProperties(doc, schema)));
  return found;
}

function itemsOf(doc: unknown, schema: unknown): unknown[] {
  if (!schema || typeof schema !== "object") return [];
  let found = itemCache.get(schema);
  if (!found) itemCache.set(schema, (found = collectItems(doc, schema)));
  return found;
}

function collectProperties(doc: unknown, schema: unknown, seen = new Set<unknown>()): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (s: unknown) => {
    s = deref(doc, s);
    if (!s || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    const o = s as Json;
    if (o.properties && typeof o.properties === "object") {
      for (const [name, sub] of Object.entries(o.properties as Json)) {
        const list = out.get(name) ?? [];
        list.push(sub);
        out.set(name, list);
      }
    }
    for (const key of ["allOf", "oneOf", "anyOf"]) if (Array.isArray(o[key])) (o[key] as unknown[]).forEach(visit);
    for (const key of ["if", "then", "else"]) if (o[key]) visit(o[key]);
  };
  visit(schema);
  return out;
}

/** The item schemas of an array schema (over allOf/oneOf/anyOf). */
function collectItems(doc: unknown, schema: unknown, seen = new Set<unknown>()): unknown[] {
  const out: unknown[] = [];
  const visit = (s: unknown) => {
    s = deref(doc, s);
    if (!s || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    const o = s as Json;
    if (o.items && typeof o.items === "object") out.push(o.items);
    for (const key of ["allOf", "oneOf", "anyOf"]) if (Array.isArray(o[key])) (o[key] as unknown[]).forEach(visit);
  };
  visit(schema);
  return out;
}

/** A schema with its local `$ref`s followed (anything that is not an object schema as it is). */
const deref = (doc: unknown, schema: unknown): unknown => (schema && typeof schema === "object" ? followRefs(doc, schema) : schema);

/** Renames, in place, every field that matches a documented one but for case; returns the rewrites. */
export function canonicalizeFieldNames(doc: unknown, schema: unknown, value: unknown, pointer = ""): string[] {
  const done: string[] = [];
  if (Array.isArray(value)) {
    const items = itemsOf(doc, schema);
    if (items.length) value.forEach((v, i) => items.forEach((s) => done.push(...canonicalizeFieldNames(doc, s, v, `${pointer}/${i}`))));
    return done;
  }
  if (!value || typeof value !== "object") return done;
  const props = propertiesOf(doc, schema);
  if (!props.size) return done;
  const byLower = new Map<string, string | null>();
  for (const name of props.keys()) byLower.set(name.toLowerCase(), byLower.has(name.toLowerCase()) ? null : name);
  const obj = value as Json;
  for (const key of Object.keys(obj)) {
    let name = key;
    if (!props.has(key)) {
      const canonical = byLower.get(key.toLowerCase());
      if (!canonical || Object.hasOwn(obj, canonical)) continue;
      obj[canonical] = obj[key];
      delete obj[key];
      done.push(`${`${pointer}/${escape(key)}`.slice(1)}=${canonical}`);
      name = canonical;
    }
    for (const sub of props.get(name) ?? []) done.push(...canonicalizeFieldNames(doc, sub, obj[name], `${pointer}/${escape(name)}`));
  }
  return done;
}

/** Edit distance between two strings (case-insensitive), capped: returns cap+1 once it is exceeded. */
function distance(a: string, b: string, cap: number): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]!);
    }
    if (best > cap) return cap + 1;
    prev = row;
  }
  return prev[b.length]!;
}

/** The documented name an undocumented field most likely meant: within 2 edits (1 for short names). */
export function closestName(field: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const cap = Math.min(name.length, field.length) <= 4 ? 1 : 2;
    const d = distance(field, name, cap);
    if (d <= cap && d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** "Did you mean" problems, as ajv errors, for undocumented fields close to a documented one. */
export function didYouMean(doc: unknown, schema: unknown, value: unknown, pointer = ""): ErrorObject[] {
  const out: ErrorObject[] = [];
  if (Array.isArray(value)) {
    const items = itemsOf(doc, schema);
    value.forEach((v, i) => items.forEach((s) => out.push(...didYouMean(doc, s, v, `${pointer}/${i}`))));
    return out;
  }
  if (!value || typeof value !== "object") return out;
  const props = propertiesOf(doc, schema);
  if (!props.size) return out;
  const obj = value as Json;
  for (const key of Object.keys(obj)) {
    if (props.has(key)) {
      for (const sub of props.get(key)!) out.push(...didYouMean(doc, sub, obj[key], `${pointer}/${escape(key)}`));
      continue;
    }
    const suggestion = closestName(
      key,
      [...props.keys()].filter((n) => !Object.hasOwn(obj, n)),
    );
    if (!suggestion) continue;
    out.push({
      keyword: "didYouMean",
      instancePath: `${pointer}/${escape(key)}`,
      schemaPath: "#",
      params: { suggestion },
      message: `is not a documented field; did you mean \`${suggestion}\`?`,
    });
  }
  return out;
}

/**
 * Wraps a body validator: field names are made canonical before it runs, and when it fails
 * its errors gain "did you mean" entries. The rewrites of a body are kept for `canonicalNames`.
 */
export function forgivingFieldNames(doc: unknown, schema: unknown, validate: ValidateFunction): ValidateFunction {
  let errors: ErrorObject[] | null | undefined;
  const wrapped = ((data: unknown) => {
    const done = canonicalizeFieldNames(doc, schema, data);
    if (done.length && data && typeof data === "object") renames.set(data, done);
    const ok = validate(data) as boolean;
    errors = ok ? null : [...didYouMean(doc, schema, data), ...(validate.errors ?? [])];
    return ok;
  }) as ValidateFunction;
  Object.defineProperty(wrapped, "errors", { get: () => errors });
  return wrapped;
}

/** The `X-Canonical-Field-Names` header for a validated body, when any field was renamed. */
export function canonicalNames(body: unknown): Record<string, string> {
  const done = body && typeof body === "object" ? renames.get(body) : undefined;
  return done?.length ? { [CANONICAL_HEADER]: done.join(", ") } : {};
}

/** Hands the renames recorded for a body to a copy of it (the copy that keeps only declared fields). */
export function carryRenames<T>(from: unknown, to: T): T {
  const done = from && typeof from === "object" ? renames.get(from) : undefined;
  if (done && to && typeof to === "object") renames.set(to, done);
  return to;
}
