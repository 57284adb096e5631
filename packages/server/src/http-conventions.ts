/**
 * HTTP conventions around the operations: CORS for browser pages (`cors` option), 405 with
 * `Allow` for a known path called with another method, the control API's refusal of other
 * origins, and `Preference-Applied` feedback for the `Prefer` header.
 */
import { randomUUID } from "./random.js";
import { adminOperations, identityOperations } from "@cloud-backup/spec";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { routes } from "./routing.js";
import { ApiError, problemResponse } from "./problem.js";
import { withoutTenant } from "./routing.js";

/** Response headers a page may read: request ids, retry hints, created locations, applied preferences. */
export const EXPOSED_HEADERS = ["X-Request-Id", "Retry-After", "Location", "Preference-Applied", "X-Prefer-Ignored"];
/** Request headers a page may send. */
export const ALLOWED_HEADERS = ["X-Auth-Token", "Content-Type", "Prefer", "X-Request-Id", "Accept"];

interface Resource {
  regex: RegExp;
  params: number;
  methods: Set<string>;
}

function buildResources(): Resource[] {
  const byTemplate = new Map<string, Set<string>>();
  const add = (template: string, method: string) => {
    const methods = byTemplate.get(template) ?? new Set<string>();
    methods.add(method.toUpperCase());
    byTemplate.set(template, methods);
  };
  for (const route of routes) {
    add(route.path, route.method);
    add(withoutTenant(route.path), route.method);
  }
  for (const op of [...adminOperations, ...identityOperations]) add(op.path, op.method);
  add("/openapi.json", "GET");
  return [...byTemplate].map(([template, methods]) => {
    const pattern = template
      .split("/")
      .map((seg) => (seg.startsWith("{") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    return { regex: new RegExp(`^${pattern}$`), params: (template.match(/\{/g) ?? []).length, methods };
  });
}

let resources: Resource[] | undefined;

/** The methods a path answers (GET implies HEAD), from its most specific template; undefined for an unknown path. */
export function allowedMethods(pathname: string): string[] | undefined {
  resources ??= buildResources();
  const matches = resources.filter((r) => r.regex.test(pathname)).sort((a, b) => a.params - b.params);
  if (!matches.length) return undefined;
  const methods = new Set(matches.filter((m) => m.params === matches[0]!.params).flatMap((m) => [...m.methods]));
  if (methods.has("GET")) methods.add("HEAD");
  return ["GET", "HEAD", "POST", "PUT", "DELETE"].filter((m) => methods.has(m));
}

/** The answer for a method a known path does not take: 405 with `Allow`, or undefined for an unknown path. */
export function methodNotAllowed(c: Context): Response | undefined {
  const pathname = new URL(c.req.url).pathname;
  const allow = allowedMethods(pathname);
  if (!allow) return undefined;
  const error = new ApiError(405, `${c.req.method} is not a method of ${pathname}; it answers ${allow.join(", ")}.`, [], {
    allow: allow.join(", "),
  });
  return problemResponse(error, c.req.path, c.req.header("x-request-id") ?? randomUUID());
}

/**
 * CORS for the Cloud Backup API, Identity and the description (never the control API), with
 * Hono's `cors` middleware: preflights answer 204 with the path's methods and the allowed
 * request headers; answers carry `Access-Control-Allow-Origin` for an allowed origin and
 * expose EXPOSED_HEADERS. `origins` holds origins, or `*` for any.
 */
export function mountCors(app: Hono, origins: readonly string[] | undefined): void {
  if (!origins?.length) return;
  const any = origins.includes("*");
  const handler = cors({
    origin: any ? "*" : [...origins],
    allowMethods: (_origin, c) => allowedMethods(new URL(c.req.url).pathname) ?? [],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  const apiOnly: MiddlewareHandler = async (c, next) => {
    // A preflight of an unknown path gets no CORS approval: it falls through to the 404.
    if (c.req.method === "OPTIONS" && !allowedMethods(new URL(c.req.url).pathname)) return next();
    return handler(c, next);
  };
  for (const path of ["/v1.0/*", "/v2.0/*", "/openapi.json"]) app.use(path, apiOnly);
}

/**
 * The control API answers no page of another origin, with or without CORS: a request whose
 * `Origin` (or `Sec-Fetch-Site`) says it comes from another site is refused with 403 before
 * it can change anything. Browsers send `Origin` with every cross-origin write, including
 * the "simple" ones they send without a preflight.
 */
export function refuseCrossOriginAdmin(app: Hono): void {
  app.use("/__admin/*", async (c, next) => {
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const own = new URL(c.req.url).origin;
    if ((origin !== undefined && origin !== own) || site === "cross-site" || site === "same-site") {
      const error = new ApiError(403, `The control API does not answer pages from other origins (Origin: ${origin ?? "?"}).`);
      return problemResponse(error, c.req.path, c.req.header("x-request-id") ?? randomUUID());
    }
    return next();
  });
}

/** Records a `Prefer` directive that was honoured, for the `Preference-Applied` header. */
export function preferenceApplied(c: Context, directive: string): void {
  const list = ((c.get as (key: string) => unknown)("preferenceApplied") as string[] | undefined) ?? [];
  list.push(directive);
  (c.set as (key: string, value: unknown) => void)("preferenceApplied", list);
}

/**
 * `Prefer: code=N` naming a status the operation does not document is not honoured (RFC 7240
 * lets a server ignore what it cannot do); the answer says so in `X-Prefer-Ignored`, with the
 * statuses the operation documents.
 */
export function preferIgnored(c: Context, code: number, operationId: string, statuses: Iterable<number>): void {
  const value = `code=${code}; reason="${operationId} does not document ${code}"; documented="${[...statuses].sort((a, b) => a - b).join(" ")}"`;
  (c.set as (key: string, value: unknown) => void)("preferIgnored", value);
}

/** Adds `Preference-Applied` (RFC 7240) when a directive was honoured, and `X-Prefer-Ignored` when one was not. */
export function withPreferenceApplied(c: Context, response: Response): Response {
  const get = c.get as (key: string) => unknown;
  const list = get("preferenceApplied") as string[] | undefined;
  const ignored = get("preferIgnored") as string | undefined;
  if (!list?.length && !ignored) return response;
  // A fresh Response: the headers of some answers (reused ones, for instance) may be immutable.
  const headers = new Headers(response.headers);
  if (list?.length) headers.set("preference-applied", list.join(", "));
  if (ignored) headers.set("x-prefer-ignored", ignored);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
