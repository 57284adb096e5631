/**
 * The spec tooling every package shares: ajv set up for the descriptions, JSON pointer
 * helpers, strict ("closed") schemas, and the response checker. The reference server
 * validates requests with it, the tests and the conformance kit check every response with
 * it, and the docs tests use it too. Kept out of the main entry so that importing the
 * description does not pull in ajv.
 *
 * @example
 * ```ts
 * import { conformanceProblems } from "@cloud-backup/spec/validate";
 * const res = await fetch("http://127.0.0.1:4010/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
 * conformanceProblems("GET", res.url, res.status, res.headers.get("content-type"), await res.text()); // []
 * ```
 *
 * @module
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { adminDocument, document, identityDocument, internalDocument } from "./generated/document.js";

export type { ErrorObject, ValidateFunction };
export { Ajv2020 };

type AddFormats = (ajv: Ajv2020) => Ajv2020;
// ajv-formats is CommonJS; under NodeNext its function arrives on `default`.
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

export type Json = Record<string, unknown>;
export type Schema = Json;

/** One documented operation. */
export interface Operation {
  operationId: string;
  method: string;
  /** The path template, as in the description (`/v1.0/{tenant_id}/agent/{machineAgentId}`). */
  path: string;
  /** The operation object of the description. */
  op: Json;
  /** Path parameters, resolved. */
  pathParams: Array<{ name: string; schema: Schema }>;
  /** The JSON request body schema, when the operation takes one. */
  requestSchema?: Schema;
  requestRequired: boolean;
  /** Documented response status codes. */
  statuses: number[];
  regex: RegExp;
}

/** Escapes one JSON pointer segment (RFC 6901). */
export const escapePointer = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");
/** Unescapes one JSON pointer segment (RFC 6901). */
export const unescapePointer = (s: string) => s.replaceAll("~1", "/").replaceAll("~0", "~");

/** Follows a local `$ref` (`#/components/schemas/Agent`) in a document. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .map(unescapePointer)
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Json)[key] : undefined), doc);
}

/** Follows `$ref`s until a node without one. */
export function deref(doc: unknown, node: unknown): Json | undefined {
  let current = node;
  for (let i = 0; i < 32 && current && typeof current === "object" && typeof (current as Json).$ref === "string"; i++) {
    current = resolvePointer(doc, (current as Json).$ref as string);
  }
  return current && typeof current === "object" ? (current as Json) : undefined;
}

/**
 * A copy of a description in which every object schema that lists `properties` refuses
 * properties it does not declare (`unevaluatedProperties: false`, which still sees the
 * properties declared through `allOf`, `if`/`then` and the like). Examples are left alone.
 */
export function closeObjectSchemas<T>(doc: T): T {
  const copy = structuredClone(doc) as unknown;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const obj = node as Json;
    if (obj.properties && typeof obj.properties === "object" && !("additionalProperties" in obj) && !("unevaluatedProperties" in obj)) {
      obj.unevaluatedProperties = false;
    }
    for (const [key, value] of Object.entries(obj)) {
      if (key === "example" || key === "examples") continue;
      visit(value);
    }
  };
  visit((copy as Json).components);
  visit((copy as Json).paths);
  return copy as T;
}

/**
 * An ajv (JSON Schema 2020-12, formats on) holding a description under the id `doc`, so a
 * schema inside it compiles as `{ $ref: "doc#/components/schemas/Agent" }`. `verbose` gives
 * errors their `parentSchema` (the server lists the options of a `oneOf` from it).
 */
export function createAjv(doc: unknown, options: { trusted?: boolean } = {}): Ajv2020 {
  // With `trusted` (a description this repository ships, checked by its own build and tests), the
  // description is not checked against the JSON Schema meta-schema again, which keeps start-up fast.
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, ...(options.trusted ? { validateSchema: false } : {}) });
  addFormats(ajv);
  ajv.addSchema(doc as object, "doc");
  return ajv;
}

/** Compiles the schema at a JSON pointer of the description held by `ajv` (see {@link createAjv}). */
export function compileAt(ajv: Ajv2020, pointer: string): ValidateFunction {
  return ajv.compile({ $ref: `doc${pointer}` });
}

/** A JSON pointer (`#/paths/~1v1.0~1...`) from unescaped segments. */
export function pointerOf(...segments: string[]): string {
  return `#/${segments.map(escapePointer).join("/")}`;
}

/** Short, readable ajv errors (`/MachineAgentId must be integer`). */
export function describeErrors(errors: ErrorObject[] | null | undefined, limit = 6): string {
  if (!errors?.length) return "";
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === "if") continue;
    const where = e.instancePath || "(body)";
    let text: string;
    if (e.keyword === "unevaluatedProperties" || e.keyword === "additionalProperties") {
      const p = e.params as Json;
      text = `${where} has undeclared property ${JSON.stringify(p.unevaluatedProperty ?? p.additionalProperty)}`;
    } else if (e.keyword === "required") {
      text = `${where} is missing required property ${JSON.stringify((e.params as Json).missingProperty)}`;
    } else if (e.keyword === "enum") {
      text = `${where} must be one of ${JSON.stringify((e.params as Json).allowedValues)}`;
    } else {
      text = `${where} ${e.message ?? "is invalid"}`;
    }
    if (seen.has(text)) continue;
    seen.add(text);
    lines.push(text);
  }
  const shown = lines.slice(0, limit);
  if (lines.length > limit) shown.push(`(and ${lines.length - limit} more)`);
  return shown.join("; ");
}

/** What the kit checks a response against. */
export interface ResponseToCheck {
  method: string;
  /** Path and query, or a full URL. */
  url: string;
  status: number;
  contentType: string | null;
  body: string;
}

/** The description, indexed for the kit. */
export class Spec {
  readonly doc: Json;
  readonly strict: Json;
  readonly operations: Operation[];
  private readonly strictAjv: Ajv2020;
  private readonly looseAjv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly bySchema = new WeakMap<object, ValidateFunction>();

  /**
   * @param doc a bundled description (default: the Cloud Backup API).
   * @param options.withoutTenant also match each path without its `/{tenant_id}` segment, as
   *   the service answers both forms.
   */
  constructor(doc: unknown = document, options: { withoutTenant?: boolean } = {}) {
    this.doc = doc as Json;
    this.strict = closeObjectSchemas(this.doc);
    this.strictAjv = createAjv(this.strict);
    this.looseAjv = createAjv(this.doc);
    this.operations = [];
    const paths = (this.doc.paths ?? {}) as Record<string, Json>;
    for (const [path, item] of Object.entries(paths)) {
      for (const method of ["get", "put", "post", "delete", "patch"]) {
        const op = item[method] as Json | undefined;
        if (!op) continue;
        const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])]
          .map((p) => deref(this.doc, p))
          .filter((p): p is Json => Boolean(p) && p!.in === "path");
        const byName = new Map<string, Schema>();
        for (const p of params) byName.set(String(p.name), (p.schema ?? {}) as Schema);
        const body = deref(this.doc, op.requestBody);
        const content = (body?.content ?? {}) as Record<string, Json>;
        const forms = options.withoutTenant && path.includes("/{tenant_id}") ? [path, path.replace("/{tenant_id}", "")] : [path];
        for (const form of forms) {
          const pattern = form
            .split("/")
            .map((seg) => (seg.startsWith("{") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
            .join("/");
          this.operations.push({
            operationId: String(op.operationId),
            method: method.toUpperCase(),
            path,
            op,
            pathParams: [...byName].map(([name, schema]) => ({ name, schema })),
            requestSchema: content["application/json"]?.schema as Schema | undefined,
            requestRequired: Boolean(body?.required),
            statuses: Object.keys((op.responses ?? {}) as Json)
              .map(Number)
              .filter(Number.isFinite),
            regex: new RegExp(`^${pattern}$`),
          });
        }
      }
    }
    // Paths with more literal segments win (`/agent/enable` before `/agent/{machineAgentId}`).
    this.operations.sort((a, b) => a.regex.source.split("[^/]+").length - b.regex.source.split("[^/]+").length);
  }

  operation(operationId: string): Operation {
    const found = this.operations.find((o) => o.operationId === operationId);
    if (!found) throw new RangeError(`unknown operationId ${operationId}`);
    return found;
  }

  /** The operation a request goes to, if the description has one. */
  match(method: string, url: string): Operation | undefined {
    const pathname = new URL(url, "http://x").pathname;
    const m = method.toUpperCase();
    return this.operations.find((o) => o.method === m && o.regex.test(pathname));
  }

  /** A validator for a schema node taken from the description (as written, not closed). */
  validator(schema: Schema): ValidateFunction {
    let validate = this.bySchema.get(schema);
    if (validate) return validate;
    const key = JSON.stringify(schema);
    validate = this.cache.get(key);
    if (!validate) {
      validate = this.looseAjv.compile(rebase(schema));
      this.cache.set(key, validate);
    }
    this.bySchema.set(schema, validate);
    return validate;
  }

  private validatorAt(pointer: string): ValidateFunction {
    const key = `p${pointer}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.strictAjv.compile({ $ref: `doc${pointer}` });
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** Checks an answer no operation documents (a 405) against the description's `Problem` schema. */
  checkProblemBody(what: string, contentType: string | null, body: string): string[] {
    if ((contentType ?? "").split(";")[0]!.trim() !== "application/problem+json")
      return [`${what} content type ${contentType} is not application/problem+json`];
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return [`${what} body is not JSON`];
    }
    const validate = this.validatorAt("#/components/schemas/Problem");
    return validate(value) ? [] : [`${what} body does not match Problem: ${describeErrors(validate.errors)}`];
  }

  /** Whether a request body is valid for an operation (the description as written, not closed). */
  requestBodyErrors(operation: Operation, body: unknown): string | undefined {
    if (!operation.requestSchema) return undefined;
    const validate = this.validator(operation.requestSchema);
    return validate(body) ? undefined : describeErrors(validate.errors) || "is invalid";
  }

  /**
   * Checks one response: the status must be documented for the operation, the content type
   * must be a documented one (no body when none is documented), and the body must validate
   * against the strict schema. Problem bodies must also carry the HTTP status. Returns the
   * problems found (empty when the response conforms).
   */
  checkResponse(res: ResponseToCheck, operation = this.match(res.method, res.url)): string[] {
    if (!operation) return [`no documented operation answers ${res.method} ${new URL(res.url, "http://x").pathname}`];
    const id = operation.operationId;
    const responses = (operation.op.responses ?? {}) as Json;
    const raw = responses[String(res.status)];
    if (!raw) {
      return [`${id} answered ${res.status}, which it does not document (documented: ${Object.keys(responses).join(", ")})`];
    }
    const response = deref(this.doc, raw) ?? {};
    const content = response.content as Record<string, Json> | undefined;
    if (!content) {
      return res.body.trim().length ? [`${id} ${res.status} documents no body, but the response has one: ${clip(res.body, 120)}`] : [];
    }
    const mediaType = (res.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    if (!content[mediaType]) {
      return [`${id} ${res.status} has content type ${mediaType || "(none)"}; documented: ${Object.keys(content).join(", ")}`];
    }
    let value: unknown;
    if (mediaType.startsWith("text/")) {
      value = res.body;
    } else {
      try {
        value = JSON.parse(res.body);
      } catch {
        return [`${id} ${res.status} body is not valid JSON: ${clip(res.body, 120) || "(empty)"}`];
      }
    }
    const pointer =
      typeof (raw as Json).$ref === "string"
        ? `${(raw as Json).$ref as string}/content/${escapePointer(mediaType)}/schema`
        : `#/paths/${escapePointer(operation.path)}/${operation.method.toLowerCase()}/responses/${res.status}/content/${escapePointer(mediaType)}/schema`;
    const validate = this.validatorAt(pointer);
    const problems: string[] = [];
    if (!validate(value)) problems.push(`${id} ${res.status} body does not match the schema: ${describeErrors(validate.errors)}`);
    if (
      mediaType === "application/problem+json" &&
      value &&
      typeof value === "object" &&
      "status" in value &&
      (value as Json).status !== res.status
    ) {
      problems.push(`${id} ${res.status} problem body says status ${JSON.stringify((value as Json).status)}`);
    }
    return problems;
  }
}

/** Points the `$ref`s of a schema taken out of the description back into it. */
function rebase(schema: Schema): Schema {
  const visit = (node: unknown): unknown => {
    if (!node || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map(visit);
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) {
      out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#") ? `doc${v}` : visit(v);
    }
    return out;
  };
  return visit(schema) as Schema;
}

export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

let everyDescription: Spec[] | undefined;

/** The descriptions the reference server answers: the API and its internal endpoints (both path forms), its control API and Identity. */
export function referenceServerSpecs(): Spec[] {
  return (everyDescription ??= [
    new Spec(document, { withoutTenant: true }),
    new Spec(internalDocument, { withoutTenant: true }),
    new Spec(adminDocument),
    new Spec(identityDocument),
  ]);
}

/**
 * Checks one exchange against the descriptions the reference server answers (see
 * {@link Spec.checkResponse}); returns the problems found, empty when it conforms. A 404 for
 * a path no description has is fine (that is the answer to an unknown path).
 */
export function conformanceProblems(method: string, url: string, status: number, contentType: string | null, body: string): string[] {
  for (const spec of referenceServerSpecs()) {
    const operation = spec.match(method, url);
    if (operation) return spec.checkResponse({ method, url, status, contentType, body }, operation);
  }
  const pathname = new URL(url, "http://x").pathname;
  if (status === 404) return [];
  // A known path called with a method it does not take answers 405 (with Allow) and a problem
  // body; a CORS preflight (OPTIONS) the server refuses, on the control API, answers 403.
  const api = referenceServerSpecs()[0]!;
  const refusal = status === 405 || (status === 403 && method.toUpperCase() === "OPTIONS");
  if (refusal && referenceServerSpecs().some((spec) => spec.operations.some((o) => o.regex.test(pathname)))) {
    return api.checkProblemBody(`${method} ${pathname} ${status}`, contentType, body);
  }
  return [`no operation matches ${method} ${pathname}`];
}
