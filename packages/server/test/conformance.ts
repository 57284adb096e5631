/**
 * The shared response checker: every response the server sends in tests goes through
 * `expectConforms`, which fails unless the status is documented for the operation, the
 * content type is the documented one, and the body validates against the schema with
 * undeclared properties treated as errors.
 */
import { adminDocument, document, identityDocument, internalDocument } from "@cloud-backup/spec";
import type { ValidateFunction } from "ajv";
import { createAjv, strictCopy } from "../src/validation.js";

interface Route {
  doc: "api" | "admin" | "identity" | "internal";
  method: string;
  regex: RegExp;
  path: string;
  operationId: string;
}

const docs = { api: strictCopy(document), admin: strictCopy(adminDocument), identity: strictCopy(identityDocument), internal: strictCopy(internalDocument) } as Record<string, any>;
const ajvs = { api: createAjv(docs.api), admin: createAjv(docs.admin), identity: createAjv(docs.identity), internal: createAjv(docs.internal) } as Record<string, ReturnType<typeof createAjv>>;

const routes: Route[] = [];
for (const [name, doc] of Object.entries(docs)) {
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "patch"]) {
      if (!item[method]) continue;
      const templates = name === "api" || name === "internal" ? [path, path.replace("/{tenant_id}", "")] : [path];
      for (const t of templates) {
        const pattern = t.split("/").map((seg) => (seg.startsWith("{") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/");
        routes.push({ doc: name as Route["doc"], method: method.toUpperCase(), regex: new RegExp(`^${pattern}$`), path, operationId: item[method].operationId });
      }
    }
  }
}
// Literal segments first, as the server matches them.
const parameterCount = (r: Route) => r.regex.source.split("[^/]+").length - 1;
routes.sort((a, b) => parameterCount(a) - parameterCount(b));

const cache = new Map<string, ValidateFunction>();
const escape = (s: string) => s.replaceAll("~", "~0").replaceAll("/", "~1");

function resolve(doc: any, node: any): any {
  while (node?.$ref) node = node.$ref.slice(2).split("/").map((s: string) => s.replaceAll("~1", "/").replaceAll("~0", "~")).reduce((a: any, k: string) => a?.[k], doc);
  return node;
}

export function findRoute(method: string, pathname: string): Route | undefined {
  return routes.find((r) => r.method === method && r.regex.test(pathname));
}

/** Checks one exchange against the descriptions; returns the list of problems (empty when it conforms). */
export function conformanceProblems(method: string, url: string, status: number, contentType: string | null, bodyText: string): string[] {
  const pathname = new URL(url, "http://x").pathname;
  const route = findRoute(method, pathname);
  if (!route) return status === 404 ? [] : [`no operation matches ${method} ${pathname}`];
  const doc = docs[route.doc];
  const op = doc.paths[route.path][method.toLowerCase()];
  const response = resolve(doc, op.responses[String(status)]);
  if (!response) return [`${route.operationId} answered ${status}, which it does not document (${Object.keys(op.responses).join(", ")})`];
  const content = response.content as Record<string, { schema: unknown }> | undefined;
  if (!content) return bodyText.length ? [`${route.operationId} ${status} must have no body, got ${bodyText.slice(0, 80)}`] : [];
  const mediaType = (contentType ?? "").split(";")[0]!.trim();
  if (!content[mediaType]) return [`${route.operationId} ${status} content type ${mediaType || "(none)"} is not one of ${Object.keys(content).join(", ")}`];
  let value: unknown;
  try {
    value = mediaType === "text/plain" ? bodyText : JSON.parse(bodyText);
  } catch {
    return [`${route.operationId} ${status} body is not JSON: ${bodyText.slice(0, 80)}`];
  }
  const pointer = response === op.responses[String(status)]
    ? `#/paths/${escape(route.path)}/${method.toLowerCase()}/responses/${status}/content/${escape(mediaType)}/schema`
    : `${op.responses[String(status)].$ref}/content/${escape(mediaType)}/schema`;
  const key = `${route.doc}${pointer}`;
  let validate = cache.get(key);
  if (!validate) {
    validate = ajvs[route.doc]!.compile({ $ref: `doc${pointer}` });
    cache.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${route.operationId} ${status} body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
