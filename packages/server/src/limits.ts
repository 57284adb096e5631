/**
 * Request limits shared by every route (the API, Identity and the control API): the byte limit,
 * enforced while the body is read; the nesting limit of JSON bodies; and the stripping of
 * undeclared properties, so that only what an operation accepts is applied and persisted.
 */
import type { Context, MiddlewareHandler } from "hono";
import { limits } from "@cloud-backup/spec";
import { deref as followRefs } from "@cloud-backup/spec/validate";
import { ApiError } from "./problem.js";

// The numbers come from the description (`info.x-limits` in openapi/openapi.yaml).

/** The largest request body accepted, in bytes (the service limits an agent's configuration to this). */
export const MAX_BODY_BYTES: number = limits.maxBodyBytes;

/** Per-account caps (ERRATA E-35): backup configurations, deleted ones included (409 past it). */
export const MAX_CONFIGURATIONS_PER_TENANT: number = limits.maxConfigurationsPerTenant;
/** Per-account caps: backups kept in the history; past it the oldest finished ones no restore uses are forgotten. */
export const MAX_BACKUPS_PER_TENANT: number = limits.maxBackupsPerTenant;
/** Per-account caps: items of an activity list (the newest). */
export const MAX_ACTIVITY_ITEMS: number = limits.maxActivityItems;

/** No body of these APIs nests deeper than a few levels; anything past this is refused unparsed. */
export const MAX_DEPTH: number = limits.maxDepth;

// The spec documents no 413, so an oversized body is a 400 like any other bad body.
export const tooLarge = (): ApiError =>
  new ApiError(400, `The body is larger than ${MAX_BODY_BYTES} bytes.`, [
    { in: "body", pointer: "", message: `is larger than ${MAX_BODY_BYTES} bytes` },
  ]);

export const tooDeepError = (): ApiError =>
  new ApiError(400, `The body nests deeper than ${MAX_DEPTH} levels.`, [
    { in: "body", pointer: "", message: `nests deeper than ${MAX_DEPTH} levels` },
  ]);

/** Whether JSON text nests deeper than MAX_DEPTH, found by one pass over the characters. */
export function tooDeep(raw: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++;
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 123 || ch === 91) {
      if (++depth > MAX_DEPTH) return true;
    } else if (ch === 125 || ch === 93) depth--;
  }
  return false;
}

/** The body as text, refused past MAX_BODY_BYTES (over a socket limitBodies has refused it while reading). */
export async function readText(c: Context): Promise<string> {
  const raw = await c.req.text();
  // UTF-16 length <= UTF-8 bytes, so this check never refuses a body within the limit.
  if (raw.length > MAX_BODY_BYTES || (raw.length > MAX_BODY_BYTES / 3 && Buffer.byteLength(raw) > MAX_BODY_BYTES)) throw tooLarge();
  return raw;
}

/** Parses a JSON body after the depth check; a problem is thrown as a 400 `ApiError`. */
export function parseJson(raw: string, depthChecked = false): unknown {
  if (!depthChecked && tooDeep(raw)) throw tooDeepError();
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ApiError(400, "The body is not valid JSON.", [
      { in: "body", pointer: "", message: `is not valid JSON: ${(error as Error).message}` },
    ]);
  }
}

interface Incoming {
  aborted?: boolean;
  complete?: boolean;
  destroyed?: boolean;
  errored?: unknown;
}

/** Whether the client of this request went away before its body was read in full. */
export function clientAborted(c: Context): boolean {
  const incoming = (c.env as { incoming?: Incoming } | undefined)?.incoming;
  if (!incoming) return false;
  return Boolean(incoming.aborted || incoming.errored || (incoming.destroyed && !incoming.complete));
}

/** Context key set when the client aborted mid-body (the log says so instead of an error). */
export const ABORTED = "clientAborted";

/**
 * Enforces MAX_BODY_BYTES on every route while the body is read: a declared Content-Length over
 * the limit is refused before any byte is read, and a body without one (chunked, or an
 * in-process `Request`) is read chunk by chunk and refused as soon as it passes the limit, so
 * no more than the limit is ever held. The body read is handed on as bytes.
 *
 * Hono's `bodyLimit` middleware reads the same way, but it turns a client that disconnects
 * mid-body into an exception; here that is recorded as an abort (`ABORTED`) and answered
 * without reaching a handler.
 */
export function limitBodies(refuse: (c: Context, error: ApiError) => Response): MiddlewareHandler {
  return async (c, next) => {
    // GET and HEAD carry no body (asking for one would build the whole web Request on Node).
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const body = c.req.raw.body;
    if (!body) return next();
    // An in-process Request is already in memory: its readers check its length (readText).
    if (!(c.env as { incoming?: unknown } | undefined)?.incoming) return next();
    const declared = c.req.header("content-length");
    if (declared !== undefined && !c.req.header("transfer-encoding")) {
      // Node's parser never delivers more than the declared length.
      if (Number(declared) > MAX_BODY_BYTES) return refuse(c, tooLarge());
      return next();
    }
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > MAX_BODY_BYTES) {
          discard(reader);
          return refuse(c, tooLarge());
        }
        chunks.push(value);
      }
    } catch (error) {
      if (clientAborted(c) || c.req.raw.signal?.aborted) {
        (c.set as (key: string, value: unknown) => void)(ABORTED, true);
        return refuse(c, new ApiError(400, "The client closed the connection before sending the whole body."));
      }
      throw error;
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: bytes });
    return next();
  };
}

/** How long, and how much, the rest of a refused body is read and dropped before the connection is cut. */
const LINGER_MS = 2_000;
const LINGER_BYTES = 64 * 1024 * 1024;

/**
 * Reads and drops the rest of a refused body for a while, so that the client, still sending,
 * reads the refusal before the connection is closed (closing a socket with unread data resets
 * it, and the reset can destroy the answer before the client has read it).
 */
function discard(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  const started = Date.now();
  let dropped = 0;
  const next = (): void => {
    if (Date.now() - started > LINGER_MS || dropped > LINGER_BYTES) {
      reader.cancel().catch(() => {});
      return;
    }
    reader.read().then(
      ({ done, value }) => {
        if (done) return;
        dropped += value.byteLength;
        next();
      },
      () => {},
    );
  };
  next();
}

type Schema = Record<string, unknown>;

/**
 * A copy of a validated body holding only the properties its schema declares (following `$ref`,
 * `allOf`, `anyOf`, `oneOf` and `if`/`then`/`else`), recursively. Objects whose schema declares
 * no properties, or allows `additionalProperties`, keep theirs.
 */
export function stripUndeclared(doc: unknown, schema: unknown, value: unknown): unknown {
  return strip(doc, [schema], value, 0);
}

// Refs of the bundled documents are local (`#/components/...`).
const deref = (doc: unknown, node: unknown) => followRefs(doc, node) as Schema | undefined;

/** Every schema that applies at this level: the schema itself and its composed parts. */
function flatten(doc: unknown, schemas: unknown[], out: Schema[] = [], depth = 0): Schema[] {
  for (const s of schemas) {
    const schema = deref(doc, s);
    if (!schema || depth > 16) continue;
    out.push(schema);
    const parts: unknown[] = [];
    for (const key of ["allOf", "anyOf", "oneOf"]) if (Array.isArray(schema[key])) parts.push(...(schema[key] as unknown[]));
    for (const key of ["if", "then", "else"]) if (schema[key] && typeof schema[key] === "object") parts.push(schema[key]);
    flatten(doc, parts, out, depth + 1);
  }
  return out;
}

interface Shape {
  items: unknown[];
  declared: Map<string, unknown[]>;
  open: boolean;
}

/** Shapes of single schemas, computed once (bodies are stripped on every write). */
const shapes = new WeakMap<object, Shape>();

function shapeOf(doc: unknown, schemas: unknown[]): Shape {
  const key = schemas.length === 1 && schemas[0] && typeof schemas[0] === "object" ? (schemas[0] as object) : undefined;
  const cached = key && shapes.get(key);
  if (cached) return cached;
  const flat = flatten(doc, schemas);
  const declared = new Map<string, unknown[]>();
  let open = false;
  for (const s of flat) {
    if (s.additionalProperties !== undefined && s.additionalProperties !== false) open = true;
    if (s.properties && typeof s.properties === "object") {
      for (const [name, sub] of Object.entries(s.properties as Schema)) {
        const list = declared.get(name);
        if (list) list.push(sub);
        else declared.set(name, [sub]);
      }
    }
  }
  const shape = { items: flat.map((s) => s.items).filter((s) => s && typeof s === "object"), declared, open };
  if (key) shapes.set(key, shape);
  return shape;
}

function strip(doc: unknown, schemas: unknown[], value: unknown, depth: number): unknown {
  if (value === null || typeof value !== "object" || depth > 64) return value;
  const { items, declared, open } = shapeOf(doc, schemas);
  if (Array.isArray(value)) return items.length ? value.map((v) => strip(doc, items, v, depth + 1)) : value;
  if (open || declared.size === 0) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const subs = declared.get(key);
    if (subs) out[key] = strip(doc, subs, v, depth + 1);
  }
  return out;
}
