/**
 * What a read costs: a kept answer is written again as it was; otherwise the view is computed
 * once at (revision, now), noting until when it holds, and encoded, in chunks for large lists.
 */
import type { Context } from "hono";
import type { AnswerCache, CachedAnswer, PendingAnswer } from "./answer-cache.js";
import { CHUNKED_MIN_ITEMS, ChunkedJson, PIECEWISE_MIN_BYTES, piecewise } from "./stream.js";
import type { World } from "./world/world.js";
import { SECURED } from "./guard.js";

const encoder = new TextEncoder();

/**
 * A JSON answer with plain headers. Returned as a Response rather than through `c.body`, which
 * turns more than one header into a Headers object and so takes the server adapter's slow path;
 * headers that middleware set on `c.res` are still merged in by Hono.
 */
export function jsonAnswer(
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>,
  status: number,
  requestId: string,
  length?: number,
): Response {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-request-id": requestId,
    "x-content-type-options": "nosniff",
  };
  if (length !== undefined) headers["content-length"] = String(length);
  const response = new Response(body, { status, headers });
  SECURED.add(response);
  return response;
}

/** A kept answer written again: in pieces when it is large. */
export function serveKeptBytes(hit: CachedAnswer, requestId: string): Response {
  if (hit.bytes.byteLength >= PIECEWISE_MIN_BYTES) return jsonAnswer(piecewise(hit.bytes), hit.status, requestId, hit.bytes.byteLength);
  return jsonAnswer(hit.bytes, hit.status, requestId);
}

/** The kept answer for `key`, or one being made that will hold now, as a response; undefined otherwise. */
export function serveKept(
  _c: Context,
  cache: AnswerCache,
  key: string,
  revision: number,
  now: number,
  requestId: string,
): Response | undefined {
  const hit = cache.get(key, revision, now);
  if (hit) return serveKeptBytes(hit, requestId);
  const pending = cache.getPending(key, revision, now);
  if (pending) return jsonAnswer(pending.stream(), pending.status, requestId);
  return undefined;
}

/**
 * Answers a read: kept, being made, or computed now (and kept while it holds). `read` runs the
 * operation's handler; the world must have caught up to `now`.
 */
export function answerRead(
  c: Context,
  cache: AnswerCache,
  world: World,
  tenantId: string,
  key: string,
  now: number,
  requestId: string,
  read: () => { status: number; body?: unknown },
): Response {
  const revision = world.revisionOf(tenantId);
  const kept = serveKept(c, cache, key, revision, now, requestId);
  if (kept) return kept;
  const { value: reply, until } = world.readAt(now, read);
  // Named so that a later request answered before routing (fast-read.ts) logs the same line.
  const operationId = (c.get as (key: string) => unknown)("operationId") as string | undefined;
  if (reply.body === undefined) return c.body(null, reply.status as 200, { "x-request-id": requestId });
  if (Array.isArray(reply.body) && reply.body.length > CHUNKED_MIN_ITEMS) {
    const chunked = new ChunkedJson(reply.body);
    const pending: PendingAnswer = { revision, from: now, until, status: reply.status, stream: () => chunked.stream() };
    cache.setPending(key, pending);
    chunked.done.then(
      (bytes) => {
        cache.endPending(key, pending);
        cache.set(key, { revision, from: now, until, status: reply.status, bytes, operationId });
      },
      () => cache.endPending(key, pending),
    );
    return jsonAnswer(chunked.stream(), reply.status, requestId);
  }
  const bytes = encoder.encode(JSON.stringify(reply.body)) as Uint8Array<ArrayBuffer>;
  cache.set(key, { revision, from: now, until, status: reply.status, bytes, operationId });
  return jsonAnswer(bytes, reply.status, requestId);
}
