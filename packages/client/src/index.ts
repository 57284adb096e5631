/**
 * A typed client for the Rackspace Cloud Backup API v1.0: one method per operation,
 * retries, Identity authentication and helpers for the service's quirks.
 *
 * @example
 * ```ts
 * import { createBackupClient } from "@cloud-backup/client";
 * const client = createBackupClient({ region: "dfw", token: "…", tenantId: "1234" });
 * const agents = await client.listAgents();
 * ```
 */
export {
  createBackupClient,
  CLIENT_VERSION,
  TERMINAL_BACKUP_STATES,
  TERMINAL_RESTORE_STATES,
  restoreStateName,
  type BackupClient,
  type BackupClientOptions,
  type BackupHelpers,
  type FetchLike,
  type IdentityOptions,
  type PollOptions,
  type SleepFn,
  type TokenOptions,
} from "./client.js";
export { BackupApiError, BackupError, BackupNetworkError, BackupTimeoutError, parseRetryAfter, type Problem } from "./errors.js";
export {
  authenticate,
  DEFAULT_IDENTITY_URL,
  REGIONS,
  regionBaseUrl,
  selectEndpoint,
  type CatalogEndpoint,
  type CatalogService,
  type IdentityAccess,
  type IdentityCredentials,
  type Region,
  type Session,
} from "./identity.js";
export { DEFAULT_RETRY, type RetryOptions } from "./retry.js";
export { formatMsDate, parseMsDate } from "./dates.js";
export { encryptPassphrase, parseExponentHex, type AgentPublicKey, type RandomBytes } from "@cloud-backup/spec/crypto";
export type {
  ArgsOf,
  CallOptions,
  OperationId,
  OperationMethod,
  OperationMethods,
  PathParamsOf,
  RequestBackupActionMethod,
  RequestBodyOf,
  ResultOf,
  Schemas,
} from "./types.js";
export type { InternalArgsOf, InternalOperationId, InternalOperationMethods, InternalResultOf, InternalSchemas } from "./internal.js";
export type { paths, components } from "@cloud-backup/spec";
