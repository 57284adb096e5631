/**
 * @cloud-backup/conformance: checks that an implementation of the Cloud Backup API v1.0
 * behaves as the description says, capability by capability.
 *
 * @example
 * ```ts
 * import { runConformance, formatTable } from "@cloud-backup/conformance";
 * const report = await runConformance({ baseUrl: "http://127.0.0.1:4010", token: "demo-token", tenant: "1234", adminUrl: "http://127.0.0.1:4010" });
 * console.log(formatTable(report));
 * ```
 */
export { runConformance, MODULES, type ConformanceOptions, type ProgressEvent } from "./runner.js";
export { CAPABILITIES, CAPABILITY_DESCRIPTIONS, OPTIONAL_CAPABILITIES, isCapability, type Capability } from "./capabilities.js";
export { formatTable, toJson, toJUnit, type Report, type CheckResult, type CheckStatus, type CapabilitySummary } from "./report.js";
export { Spec, closeObjectSchemas, type Operation, type ResponseToCheck } from "./spec.js";
export { describeExchange, type Exchange, type FetchLike } from "./http.js";
export { encryptPassphrase, type AgentPublicKey as PublicKeyFields } from "@cloud-backup/spec/crypto";
export { parseArgs, USAGE, type CliOptions } from "./args.js";
