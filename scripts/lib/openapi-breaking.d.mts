/** Types of scripts/lib/openapi-breaking.mjs (the breaking-change gate). */

export type BreakingKind =
  | "operation-removed"
  | "operation-moved"
  | "operation-id-changed"
  | "path-parameter-removed"
  | "parameter-removed"
  | "parameter-required"
  | "request-body-required"
  | "request-body-removed"
  | "request-media-type-removed"
  | "request-property-required"
  | "request-property-removed"
  | "response-property-removed"
  | "response-property-optional"
  | "response-body-removed"
  | "response-media-type-removed"
  | "success-status-changed"
  | "type-changed"
  | "enum-narrowed"
  | "enum-widened"
  | "variant-removed"
  | "variant-added";

export type CompatibleKind =
  | "operation-added"
  | "parameter-added"
  | "request-body-added"
  | "request-property-added"
  | "request-property-optional"
  | "response-property-added";

export interface Change {
  /** What kind of change (a kind in BREAKING_KINDS can also be reported as compatible, e.g. a widened request enum). */
  kind: BreakingKind | CompatibleKind;
  breaking: boolean;
  /** The operationId, or "METHOD /path" when there is none. */
  operation: string;
  method: string;
  path: string;
  /** Where in the operation, e.g. `response 200 (application/json) body[].Status`. */
  location: string;
  /** What changed. */
  message: string;
}

export interface ComparisonResult {
  baseVersion: string;
  headVersion: string;
  /** The head's info.version major part is greater than the base's. */
  majorRaised: boolean;
  changes: Change[];
  breaking: Change[];
  compatible: Change[];
  /** No breaking change, or the major version was raised. */
  ok: boolean;
}

export interface Semver {
  major: number;
  minor: number;
  patch: number;
  pre: string;
}

export const METHODS: readonly string[];
export const BREAKING_KINDS: readonly BreakingKind[];
export function parseVersion(text: unknown): Semver | null;
export function compareVersions(a: string, b: string): number;
export function formatLocation(loc: ReadonlyArray<Record<string, unknown>>): string;
export function compareDescriptions(base: unknown, head: unknown): ComparisonResult;
export function formatReport(result: ComparisonResult, labels?: { base?: string; head?: string }): string;
