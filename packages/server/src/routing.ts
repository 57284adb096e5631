import { operations } from "@cloud-backup/spec";
import type { OperationName } from "./handler-types.js";

/**
 * Converts an OpenAPI path template to Hono's syntax: `{param}` becomes `:param`.
 *
 * @example
 * ```ts
 * toHonoPath("/v1.0/{tenant_id}/agent/{machineAgentId}"); // "/v1.0/:tenant_id/agent/:machineAgentId"
 * ```
 */
export function toHonoPath(template: string): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1");
}

/** The tenant-less form of a path (`/v1.0/{tenant_id}/agent` becomes `/v1.0/agent`). */
export function withoutTenant(template: string): string {
  return template.replace("/{tenant_id}", "");
}

/** Literal segments sort before parameters at the same position; then by path, then method. */
export function compareSpecificity(a: { method: string; path: string }, b: { method: string; path: string }): number {
  const sa = a.path.split("/");
  const sb = b.path.split("/");
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i]!.startsWith("{");
    const pb = sb[i]!.startsWith("{");
    if (pa !== pb) return pa ? 1 : -1;
    if (!pa && sa[i] !== sb[i]) return sa[i]! < sb[i]! ? -1 : 1;
  }
  if (sa.length !== sb.length) return sa.length - sb.length;
  return a.method < b.method ? -1 : a.method > b.method ? 1 : 0;
}

/** One route of the API: an operation of the description's operation table. */
export interface Route {
  operationId: OperationName;
  method: string;
  path: string;
}

/** Every route of the API, most specific first (the order the server registers them). */
export const routes: readonly Route[] = operations
  .map(({ operationId, method, path }) => ({ operationId, method, path }))
  .sort(compareSpecificity);
