import { closeObjectSchemas, type ErrorObject, escapePointer } from "@cloud-backup/spec/validate";
import type { ProblemField } from "./problem.js";

export { compileAt, createAjv, pointerOf } from "@cloud-backup/spec/validate";

type Json = Record<string, unknown>;

/**
 * A copy of a description where every object schema with `properties` refuses undeclared
 * properties, for strict response checking (`closeObjectSchemas` of `@cloud-backup/spec/validate`).
 */
export const strictCopy = closeObjectSchemas;

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
