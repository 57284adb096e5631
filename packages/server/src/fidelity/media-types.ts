/**
 * Request media types: a body must come as a type its operation declares. JSON bodies may be
 * `application/json` (any parameters) or a `+json` type; a body without a `Content-Type` is
 * read as JSON. Anything else answers 415 (the official clients always send
 * `application/json`, often with `; charset=utf-8`).
 */
import { ApiError } from "../problem.js";

/** Throws a 415 when `contentType` (lower case, no parameters) is not one the operation takes. */
export function checkMediaType(contentType: string, declared: { json: boolean; form: boolean }): void {
  if (!contentType) return;
  if (declared.json && (contentType === "application/json" || contentType.endsWith("+json"))) return;
  if (declared.form && contentType === "application/x-www-form-urlencoded") return;
  const wanted = [declared.json ? "application/json" : "", declared.form ? "application/x-www-form-urlencoded" : ""]
    .filter(Boolean)
    .join(" or ");
  throw new ApiError(415, `Send the body as ${wanted} (got ${contentType}).`, [
    { in: "header", name: "Content-Type", message: `must be ${wanted}` },
  ]);
}

/**
 * `changeAgentLogLevel` answers 204 to a JSON body, which is what the service's own client
 * (cloudbackup's `SetLogLevel`) checks for, and 200 to the reference's form body (ERRATA E-13).
 */
export function answerStatus(operationId: string, contentType: string | undefined, status: number): number {
  if (operationId !== "changeAgentLogLevel" || status !== 200) return status;
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded" ? 200 : 204;
}
