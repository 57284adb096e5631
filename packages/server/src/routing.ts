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
