/**
 * The API's operations compiled from the description once per process: path and body
 * validators (compiled on first use), documented statuses, roles and examples; and how a
 * request body is read, validated and cut to the fields the operation declares.
 */
import { document, operations as operationTable } from "@cloud-backup/spec";
import { resolvePointer } from "@cloud-backup/spec/validate";
import type { ValidateFunction } from "ajv";
import type { Context } from "hono";
import type { OperationName } from "../handler-types.js";
import { carryRenames, forgivingFieldNames } from "../fidelity/field-names.js";
import { checkMediaType } from "../fidelity/media-types.js";
import { parseJson, readText, stripUndeclared, tooDeep, tooDeepError } from "../limits.js";
import { ApiError } from "../problem.js";
import { routes } from "../routing.js";
import { compileAt, createAjv, pointerOf, toProblemFields } from "../validation.js";

export interface CompiledOperation {
  operationId: OperationName;
  method: string;
  path: string;
  params: ValidateFunction;
  /** Path parameters typed integer: parsed from strict decimal digits before validation. */
  integerParams: string[];
  bodies: Map<string, ValidateFunction>;
  /** The request body schema of each media type (refs into the description), for stripping undeclared fields. */
  schemas: Map<string, unknown>;
  formBody?: ValidateFunction;
  /** Form fields typed integer: parsed from strict decimal digits before validation. */
  formIntegers: string[];
  bodyRequired: boolean;
  hasTenant: boolean;
  /** The last path parameter other than the tenant, if any. */
  lastParam?: string;
  /** Every documented status of the operation. */
  statuses: Set<number>;
  /** The roles that may call it: its security requirement's scopes in the description. */
  roles: ReadonlySet<string>;
  /** Named examples of its success answers, for `Prefer: example=`. */
  examples: Map<string, { status: number; mediaType: string; value: unknown }>;
}

/** A validator compiled on first use (start-up stays fast; each is still compiled once). */
function lazy(make: () => ValidateFunction): ValidateFunction {
  let compiled: ValidateFunction | undefined;
  const validate = ((data: unknown) => (compiled ??= make())(data)) as ValidateFunction;
  Object.defineProperty(validate, "errors", { get: () => compiled?.errors });
  return validate;
}

function compileOperations(): CompiledOperation[] {
  const doc = document as unknown as { paths: Record<string, Record<string, any>> };
  const ajv = createAjv(doc, { trusted: true });
  return routes.map((route) => {
    const item = doc.paths[route.path]!;
    const op = item[route.method.toLowerCase()]!;
    const resolveParam = (p: any) => (p.$ref ? resolvePointer(doc, p.$ref) : p);
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolveParam).filter((p: any) => p.in === "path");
    const paramSchema = {
      type: "object",
      required: params.map((p: any) => p.name),
      properties: Object.fromEntries(params.map((p: any) => [p.name, resolveRefs(doc, p.schema)])),
    };
    const bodies = new Map<string, ValidateFunction>();
    let formBody: ValidateFunction | undefined;
    let formIntegers: string[] = [];
    for (const mediaType of Object.keys(op.requestBody?.content ?? {})) {
      const pointer = pointerOf("paths", route.path, route.method.toLowerCase(), "requestBody", "content", mediaType, "schema");
      if (mediaType === "application/x-www-form-urlencoded") {
        // No type coercion (ajv would read "0x10" or " 6" as numbers): integers are parsed strictly in readBody.
        formBody = lazy(() => compileAt(ajv, pointer));
        const schema = resolveRefs(doc, op.requestBody.content[mediaType].schema);
        formIntegers = Object.entries<any>(schema?.properties ?? {})
          .filter(([, s]) => s?.type === "integer")
          .map(([name]) => name);
      } else
        bodies.set(
          mediaType,
          forgivingFieldNames(
            doc,
            op.requestBody.content[mediaType].schema,
            lazy(() => compileAt(ajv, pointer)),
          ),
        );
    }
    return {
      operationId: route.operationId,
      method: route.method,
      path: route.path,
      // No type coercion here: ajv would read "1e3", "0x10" or " 5" as numbers.
      params: lazy(() => ajv.compile(paramSchema)),
      integerParams: Object.entries(paramSchema.properties)
        .filter(([, schema]: [string, any]) => schema?.type === "integer")
        .map(([name]) => name),
      bodies,
      schemas: new Map(Object.entries<any>(op.requestBody?.content ?? {}).map(([mediaType, media]) => [mediaType, media.schema])),
      formBody,
      formIntegers,
      bodyRequired: Boolean(op.requestBody?.required),
      statuses: new Set(Object.keys(op.responses).map(Number)),
      roles: new Set<string>(operationTable.find((row) => row.operationId === route.operationId)?.roles ?? []),
      examples: new Map(
        Object.entries<any>(op.responses).flatMap(([status, res]) =>
          Object.entries<any>(res.content ?? {}).flatMap(([mediaType, media]) =>
            Object.entries<any>(media.examples ?? {}).map(
              ([name, ex]) => [name, { status: Number(status), mediaType, value: ex.value }] as const,
            ),
          ),
        ),
      ),
      hasTenant: route.path.includes("{tenant_id}"),
      lastParam: [...route.path.matchAll(/\{(\w+)\}/g)]
        .map((m) => m[1]!)
        .filter((name) => name !== "tenant_id")
        .at(-1),
    };
  });
}

/** Inlines `$ref`s of a small schema (path parameter schemas). */
function resolveRefs(doc: unknown, schema: any): any {
  if (!schema || typeof schema !== "object") return schema;
  if (schema.$ref) return resolveRefs(doc, resolvePointer(doc, schema.$ref));
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(doc, s));
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolveRefs(doc, v)]));
}

let compiled: CompiledOperation[] | undefined;

/** Every operation of the API, compiled (once per process), most specific route first. */
export function compiledOperations(): CompiledOperation[] {
  return (compiled ??= compileOperations());
}

export async function readBody(c: Context, op: CompiledOperation): Promise<unknown> {
  const raw = await readText(c);
  if (tooDeep(raw)) throw tooDeepError();
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (raw.trim() === "") {
    if (op.bodyRequired) throw new ApiError(400, "The request needs a body.", [{ in: "body", pointer: "", message: "is required" }]);
    return undefined;
  }
  if (contentType === "application/x-www-form-urlencoded" && op.formBody) {
    const value: Record<string, string | number> = {};
    for (const [k, v] of new URLSearchParams(raw)) value[k] = op.formIntegers.includes(k) && /^-?[0-9]+$/.test(v) ? Number(v) : v;
    if (!op.formBody(value)) {
      throw new ApiError(400, "The form body is invalid.", toProblemFields(op.formBody.errors, "body"));
    }
    return stripUndeclared(document, op.schemas.get("application/x-www-form-urlencoded"), value);
  }
  checkMediaType(contentType, { json: op.bodies.has("application/json"), form: Boolean(op.formBody) });
  const value = parseJson(raw, true);
  const validate = op.bodies.get("application/json");
  if (validate && !validate(value)) {
    const frequency = value && typeof value === "object" ? (value as Record<string, unknown>).Frequency : undefined;
    const fields = toProblemFields(validate.errors, "body", { frequency });
    throw new ApiError(
      400,
      fields.length === 1 ? `${fields[0]!.pointer || "The body"} ${fields[0]!.message}.` : `The body has ${fields.length} problems.`,
      fields,
    );
  }
  // Only what the operation declares is applied and persisted (and the answer still names the fields renamed).
  return carryRenames(value, stripUndeclared(document, op.schemas.get("application/json"), value));
}
