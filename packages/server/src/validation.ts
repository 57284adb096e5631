import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ProblemField } from "./problem.js";

type AddFormats = (ajv: Ajv2020) => Ajv2020;
// ajv-formats is CommonJS; under NodeNext its function arrives on `default`.
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

type Json = Record<string, unknown>;

const escapePointer = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * A copy of a description where every object schema with `properties` refuses undeclared
 * properties (`unevaluatedProperties: false`), for strict response checking.
 */
export function strictCopy<T>(doc: T): T {
  const copy = structuredClone(doc) as unknown;
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const obj = node as Json;
    if (obj.properties && typeof obj.properties === "object" && !("unevaluatedProperties" in obj) && !("additionalProperties" in obj)) {
      obj.unevaluatedProperties = false;
    }
    for (const [key, value] of Object.entries(obj)) {
      if (key === "examples" || key === "example") continue;
      visit(value);
    }
  };
  const root = copy as Json;
  visit(root.components);
  visit(root.paths);
  return copy as T;
}

/**
 * An ajv instance holding a description under the id `doc`. With `trusted` (the descriptions
 * shipped with this package, which their own build and tests check), the description is not
 * checked against the JSON Schema meta-schema again at every start.
 */
export function createAjv(doc: unknown, options: { trusted?: boolean } = {}): Ajv2020 {
  // `verbose` gives errors their `parentSchema`, which `toProblemFields` lists the options of a `oneOf` from.
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, ...(options.trusted ? { validateSchema: false } : {}) });
  addFormats(ajv);
  ajv.addSchema(doc as object, "doc");
  return ajv;
}

/** Compiles the schema at a JSON pointer of the description held by `ajv`. */
export function compileAt(ajv: Ajv2020, pointer: string): ValidateFunction {
  return ajv.compile({ $ref: `doc${pointer}` });
}

export function pointerOf(...segments: string[]): string {
  return "#/" + segments.map(escapePointer).join("/");
}

function describeOptions(schema: unknown): string | undefined {
  const values: string[] = [];
  const visit = (s: unknown) => {
    if (!s || typeof s !== "object") return;
    const o = s as Json;
    if (Array.isArray(o.enum)) values.push(...o.enum.map((v) => JSON.stringify(v)));
    for (const key of ["oneOf", "anyOf"]) if (Array.isArray(o[key])) (o[key] as unknown[]).forEach(visit);
  };
  visit(schema);
  return values.length ? `must be one of ${values.join(", ")}` : undefined;
}

function message(error: ErrorObject): string {
  const p = error.params as Json;
  switch (error.keyword) {
    case "required":
      return "is required";
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `must be ${String(p.type).replace(",", " or ")}`;
    case "minimum":
    case "maximum":
      return `must be ${error.keyword === "minimum" ? ">=" : "<="} ${String(p.limit)}`;
    case "pattern":
      return `must match ${String(p.pattern)}`;
    case "format":
      return `must be a valid ${String(p.format)}`;
    case "minLength":
      return p.limit === 1 ? "must not be empty" : `must be at least ${String(p.limit)} characters`;
    case "maxLength":
      return `must be at most ${String(p.limit)} characters`;
    case "maxItems":
      return `must have at most ${String(p.limit)} items`;
    case "const":
      return `must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return error.message ?? "is invalid";
  }
}

/**
 * Turns ajv errors into problem fields: one per distinct problem, the `if`/`then` noise of
 * conditional schemas and the branch noise of `oneOf` collapsed into plain messages.
 */
export function toProblemFields(
  errors: ErrorObject[] | null | undefined,
  location: ProblemField["in"],
  context: { frequency?: unknown } = {},
): ProblemField[] {
  if (!errors?.length) return [];
  const alternatives = new Set(errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").map((e) => e.instancePath));
  const out: ProblemField[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === "if") continue;
    let pointer = error.instancePath;
    let text: string;
    if (error.keyword === "required") {
      pointer = `${pointer}/${escapePointer(String((error.params as Json).missingProperty))}`;
      text = "is required";
    } else if (error.keyword === "oneOf" || error.keyword === "anyOf") {
      text = describeOptions(error.parentSchema) ?? "does not match any allowed form";
    } else if (alternatives.has(pointer) && /\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)) {
      continue;
    } else {
      text = message(error);
      if (error.schemaPath.includes("/then/") && typeof context.frequency === "string") {
        text += ` when Frequency is ${context.frequency}`;
      }
    }
    if (error.keyword === "additionalProperties" || error.keyword === "unevaluatedProperties") {
      const prop = (error.params as Json).additionalProperty ?? (error.params as Json).unevaluatedProperty;
      pointer = `${pointer}/${escapePointer(String(prop))}`;
      text = "is not allowed";
    }
    const key = `${pointer} ${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (location === "body") out.push({ in: "body", pointer, message: text });
    else out.push({ in: location, name: pointer.replace(/^\//, ""), message: text });
  }
  return out;
}
