/**
 * HTTP for the kit: every exchange is recorded, and every answer of the Cloud Backup API is
 * checked against the description before a check sees it.
 */
import { clip, type Operation, type Spec } from "./spec.js";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A request and its answer, as reported when a check fails. */
export interface Exchange {
  operationId?: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  /** Set when no answer arrived. */
  error?: string;
  durationMs: number;
}

/** A failed check: a message and, when one is to blame, the exchange. */
export class CheckFailure extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
    this.name = "CheckFailure";
  }
}

/** Thrown by a check that cannot run here; the reason is reported. */
export class CheckSkipped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "CheckSkipped";
  }
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined. */
  body: T;
  exchange: Exchange;
  operation?: Operation;
  /** Spec problems of the answer (empty when it conforms). */
  problems: string[];
}

export interface CallOptions {
  /** `X-Auth-Token`; null sends none; default: the client's token. */
  token?: string | null;
  /** A JSON body. */
  body?: unknown;
  /** A raw body, sent as is. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Throw a CheckFailure when the answer does not conform to the description (default true). */
  conform?: boolean;
}

const MASK = new Set(["x-auth-token", "x-admin-token", "authorization"]);

function headerRecord(headers: Headers | Record<string, string>, mask: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [k, v] of entries) out[k.toLowerCase()] = mask && MASK.has(k.toLowerCase()) ? "***" : v;
  return out;
}

/** A one-paragraph rendering of an exchange, for messages. */
export function describeExchange(exchange: Exchange, bodyLimit = 400): string {
  const req = exchange.request;
  const lines = [`${req.method} ${req.url}${exchange.operationId ? ` (${exchange.operationId})` : ""}`];
  if (req.body !== undefined) lines.push(`  request body: ${clip(req.body, bodyLimit)}`);
  if (exchange.response) {
    const type = exchange.response.headers["content-type"];
    lines.push(`  -> ${exchange.response.status}${type ? ` ${type}` : ""} ${clip(exchange.response.body, bodyLimit)}`);
  } else if (exchange.error) {
    lines.push(`  -> no answer: ${exchange.error}`);
  }
  return lines.join("\n");
}

export interface HttpOptions {
  baseUrl: string;
  fetch: FetchLike;
  spec: Spec;
  requestTimeoutMs: number;
  /** Called for every exchange (the runner counts them). */
  onExchange?: (exchange: Exchange) => void;
}

/** A client bound to a base URL and a token. */
export class ApiClient {
  constructor(
    private readonly http: HttpOptions,
    readonly token: string | null,
  ) {}

  get spec(): Spec {
    return this.http.spec;
  }

  withToken(token: string | null): ApiClient {
    return new ApiClient(this.http, token);
  }

  async call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const url = joinUrl(this.http.baseUrl, path);
    const headers: Record<string, string> = { accept: "application/json, application/problem+json, text/plain", ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers["x-auth-token"] = token;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
    const operation = this.http.spec.match(method, url);
    const exchange: Exchange = {
      operationId: operation?.operationId,
      request: { method, url, headers: headerRecord(headers, true), ...(body !== undefined ? { body } : {}) },
      durationMs: 0,
    };
    const started = performance.now();
    let res: Response;
    let text: string;
    try {
      res = await this.http.fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.http.requestTimeoutMs) });
      text = await res.text();
    } catch (error) {
      exchange.durationMs = performance.now() - started;
      exchange.error = (error as Error).message;
      this.http.onExchange?.(exchange);
      throw new CheckFailure(`${method} ${path} got no answer: ${(error as Error).message}`, exchange);
    }
    exchange.durationMs = performance.now() - started;
    exchange.response = { status: res.status, headers: headerRecord(res.headers, false), body: text };
    this.http.onExchange?.(exchange);
    const problems = operation
      ? this.http.spec.checkResponse(
          { method, url, status: res.status, contentType: res.headers.get("content-type"), body: text },
          operation,
        )
      : [];
    if (problems.length && options.conform !== false) {
      throw new CheckFailure(`The answer does not conform to the description: ${problems.join("; ")}`, exchange);
    }
    let parsed: unknown;
    const type = res.headers.get("content-type") ?? "";
    if (text && /json/.test(type)) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    } else if (text) {
      parsed = text;
    }
    return { status: res.status, headers: res.headers, text, body: parsed as T, exchange, operation, problems };
  }
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path.startsWith("/") ? "" : "/"}${path}`;
}

/** Fails the check unless the answer's status is one of `expected`. */
export function expectStatus(answer: Answer, expected: number | number[], what: string): void {
  const list = Array.isArray(expected) ? expected : [expected];
  if (!list.includes(answer.status)) {
    throw new CheckFailure(`${what}: expected ${list.join(" or ")}, got ${answer.status}`, answer.exchange);
  }
}

/** Fails the check with the exchange attached unless `condition` holds. */
export function expect(condition: unknown, message: string, exchange?: Exchange): asserts condition {
  if (!condition) throw new CheckFailure(message, exchange);
}
