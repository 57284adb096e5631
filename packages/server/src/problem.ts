import type { components } from "@cloud-backup/spec";

export type Problem = components["schemas"]["Problem"];
export type ProblemField = components["schemas"]["ProblemField"];

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  500: "Instance Fault",
  503: "Service Unavailable",
};

/** The `type` URI of validation problems. */
export const VALIDATION_TYPE = "https://docs.cloud-backup.dev/problems/validation";

/**
 * An error answered as RFC 9457 problem details.
 *
 * @example
 * ```ts
 * throw new ApiError(404, "Agent 42 does not exist in this account.");
 * ```
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors: ProblemField[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  toProblem(instance: string, requestId: string): Problem {
    const problem: Problem = {
      type: this.errors.length && this.status === 400 ? VALIDATION_TYPE : "about:blank",
      title: TITLES[this.status] ?? "Error",
      status: this.status,
      detail: this.detail,
      instance,
      requestId,
    };
    const errors = this.errors.length ? this.errors : fallbackErrors(this.status, this.detail);
    if (errors.length) problem.errors = errors;
    return problem;
  }
}

/**
 * The `errors` of a 403, 404 or 503 thrown without any: one item saying which part of the
 * request it concerns, so that every such problem names its problem like a 400 does.
 */
function fallbackErrors(status: number, detail: string): ProblemField[] {
  if (status === 403) return [{ in: "header", name: "X-Auth-Token", message: detail }];
  if (status === 404 || status === 503) return [{ in: "path", message: detail }];
  return [];
}

/** A 400 naming one field of the body. */
export function badField(pointer: string, message: string): ApiError {
  return new ApiError(400, `${pointer.slice(1) || "The body"} ${message}`, [{ in: "body", pointer, message }]);
}

export const notFound = (what: string) => new ApiError(404, `${what} does not exist in this account.`);
export const conflict = (detail: string) => new ApiError(409, detail);
export const forbidden = (detail: string) => new ApiError(403, detail);

/** The answer for an `ApiError`: problem JSON, the request id echoed, any extra headers. */
export function problemResponse(error: ApiError, instance: string, requestId: string): Response {
  return new Response(JSON.stringify(error.toProblem(instance, requestId)), {
    status: error.status,
    headers: { "content-type": "application/problem+json", "x-request-id": requestId, ...error.headers },
  });
}
