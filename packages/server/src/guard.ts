/**
 * What keeps a web page from driving a local server, and what every answer carries:
 * the Host check (against DNS rebinding), the control API's refusal of CORS, security headers
 * on every answer, and the request log line (escaped, without tokens).
 */
import type { Context, MiddlewareHandler } from "hono";
import { ApiError } from "./problem.js";

/** Which `Host` values a server accepts: `"loopback"` (loopback names and addresses only), a list of host names, or a test. */
export type AllowedHosts = "loopback" | readonly string[] | ((hostname: string) => boolean);

/** The host name of a `Host` header value, without the port (`[::1]:4010` is `::1`). */
export function hostnameOf(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(1, value.indexOf("]") < 0 ? undefined : value.indexOf("]"));
  const colon = value.indexOf(":");
  return (colon < 0 ? value : value.slice(0, colon)).replace(/\.$/, "");
}

/** Whether a host name is a loopback name or address: `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (/^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(hostname)) return true;
  return hostname === "::1" || hostname === "0:0:0:0:0:0:0:1" || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Whether an address the server listens on is a loopback one (the CLI turns the Host check on for those). */
export function isLoopbackAddress(address: string): boolean {
  return isLoopbackHost(hostnameOf(address.includes(":") && !address.startsWith("[") ? `[${address}]` : address));
}

/** Whether a `Host` header value (missing: undefined) is one the server answers. */
export function hostAccepted(allowed: AllowedHosts, host: string | undefined): boolean {
  return host !== undefined && host !== "" && hostAllowed(allowed, hostnameOf(host));
}

function hostAllowed(allowed: AllowedHosts, hostname: string): boolean {
  if (allowed === "loopback") return isLoopbackHost(hostname);
  if (typeof allowed === "function") return allowed(hostname);
  return allowed.some((h) => hostnameOf(h) === hostname);
}

/** Whether the request came over a socket (not an in-process `app.request` / `app.fetch`). */
export function overSocket(c: Context): boolean {
  return Boolean((c.env as { incoming?: unknown } | undefined)?.incoming);
}

export interface GuardOptions {
  allowedHosts?: AllowedHosts;
  /** Answers a refusal (a problem body, in the format of the route). */
  refuse: (c: Context, error: ApiError) => Response;
}

/**
 * The docs site's policy: nothing from elsewhere, its own files only, never framed. Scripts run
 * from the site's files and, inline, only those whose hashes the page's policy lists (the API
 * reference pages embed Redoc); styles may be inline (Redoc and the diagrams set them), and
 * Redoc's search runs in a worker made from a blob. A page that runs the simulation (the Try it
 * console) may also evaluate code: its validators are compiled to functions in the page.
 */
export function docsCsp(scriptHashes: readonly string[] = [], options: { evaluates?: boolean } = {}): string {
  return [
    "default-src 'none'",
    `script-src 'self'${options.evaluates ? " 'unsafe-eval'" : ""}${scriptHashes.map((h) => ` '${h}'`).join("")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const DOCS_CSP = docsCsp();

/**
 * The outermost middleware: refuses a request whose `Host` is not allowed (403 with a problem
 * body), strips any CORS header from the control API's answers (it never answers CORS, whatever
 * else is mounted), and adds `X-Content-Type-Options: nosniff` to every answer and the CSP to the docs.
 */
export function guard(options: GuardOptions): MiddlewareHandler {
  const { allowedHosts } = options;
  return async (c, next) => {
    // In-process calls have no Host to forge; only requests over a socket are checked.
    if (allowedHosts !== undefined && overSocket(c)) {
      const host = c.req.header("host");
      if (!hostAccepted(allowedHosts, host)) {
        c.res = options.refuse(
          c,
          new ApiError(
            403,
            `This server answers only requests addressed to it by a loopback name (localhost, 127.0.0.1, [::1]); Host ${JSON.stringify(host ?? "")} is refused.`,
            [{ in: "header", name: "Host", message: "must be a loopback name or address" }],
          ),
        );
        secure(c);
        return c.res;
      }
    }
    await next();
    secure(c);
  };
}

/**
 * Answers made with `nosniff` among their plain headers, on an API path (never /docs or
 * /__admin): `secure` leaves them as they are, since reading `headers` would turn the plain
 * headers into a Headers object and take the Node adapter's slower path for every read.
 */
export const SECURED = new WeakSet<Response>();

function secure(c: Context): void {
  if (SECURED.has(c.res)) return;
  const headers = c.res.headers;
  try {
    headers.set("x-content-type-options", "nosniff");
    if ((c.req.path === "/docs" || c.req.path.startsWith("/docs/")) && !headers.has("content-security-policy"))
      headers.set("content-security-policy", DOCS_CSP);
    if (c.req.path.startsWith("/__admin")) {
      for (const name of [...headers.keys()]) if (name.startsWith("access-control-")) headers.delete(name);
    }
  } catch {
    // Immutable headers (a Response from elsewhere): copy it.
    const copy = new Response(c.res.body, c.res);
    c.res = copy;
    secure(c);
  }
}

/** Control characters (and the backslash that escapes them) written as `\xNN`, so one request is one log line. */
export function escapeForLog(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** A path for the log: segments that are tokens (known ones, or shaped like Identity's) become `[token]`. */
export function pathForLog(path: string, isToken: (segment: string) => boolean): string {
  const redacted = path
    .split("/")
    .map((segment) => (segment && (isToken(segment) || /^[0-9a-f]{32}$/i.test(segment)) ? "[token]" : segment))
    .join("/");
  return escapeForLog(redacted);
}
