/**
 * The one place an error of an API operation becomes its answer: an `ApiError` (what the
 * handlers, models and pipeline throw, each with a status the operation documents) as problem
 * details, a client that went away mid-body as an abort, anything else as a 500 (and logged).
 */
import type { Context, ErrorHandler } from "hono";
import { ABORTED, clientAborted } from "../limits.js";
import { ApiError, problemResponse } from "../problem.js";
import { randomUUID } from "../random.js";
import type { PipelineEnv } from "./middleware.js";

/** The problem answer of an error thrown while an operation was answered. */
export function answerError(log: (line: string) => void): ErrorHandler<PipelineEnv> {
  return (error: Error, c: Context<PipelineEnv>) => {
    const op = c.get("operation");
    const requestId = c.get("requestId") ?? c.req.header("x-request-id") ?? randomUUID();
    if (error instanceof ApiError) {
      // A 404 of a handler names the path parameter that names nothing (body ids are named by the handler).
      if (error.status === 404 && !error.errors.length && op?.lastParam)
        error.errors.push({ in: "path", name: op.lastParam, message: "names nothing in this account" });
      return problemResponse(error, c.req.path, requestId);
    }
    if (clientAborted(c)) {
      c.set(ABORTED, true);
      return problemResponse(new ApiError(400, "The client closed the connection before sending the whole body."), c.req.path, requestId);
    }
    log(`internal error in ${op?.operationId ?? "-"}: ${error.stack ?? String(error)}`);
    return problemResponse(new ApiError(500, "The reference server failed while handling the request."), c.req.path, requestId);
  };
}
