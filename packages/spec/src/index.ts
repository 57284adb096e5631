/**
 * The Cloud Backup API v1.0 description, its TypeScript types and its operation table.
 *
 * @example
 * ```ts
 * import { operations, type components } from "@cloud-backup/spec";
 * const start = operations.find((op) => op.operationId === "requestBackupAction");
 * type Agent = components["schemas"]["Agent"];
 * ```
 */
export type { paths, components, operations as OperationTypes } from "./generated/openapi.js";
export {
  operations,
  adminOperations,
  identityOperations,
  internalOperations,
  specVersion,
  specHash,
  lifecycles,
  limits,
} from "./generated/operations.js";
export { document, adminDocument, identityDocument, internalDocument } from "./generated/document.js";
/** Types of the internal endpoints (`openapi/internal.yaml`), kept apart from the 33 published operations. */
export type {
  paths as InternalPaths,
  components as InternalComponents,
  operations as InternalOperationTypes,
} from "./generated/internal.js";

import { lifecycles, operations } from "./generated/operations.js";

/** One row of the operation table. */
export type OperationInfo = (typeof operations)[number];

/** Every operationId of the API. */
export type OperationId = OperationInfo["operationId"];

/** The row of the operation table for an operationId. */
export function operationById(id: OperationId): OperationInfo {
  const found = operations.find((op) => op.operationId === id);
  if (!found) throw new RangeError(`Unknown operationId ${id}`);
  return found;
}

/** A role a token can carry; each operation's `roles` lists the ones that may call it. */
export type Role = OperationInfo["roles"][number];

/** A restore state's name, as the description lists them. */
export type RestoreStateName = (typeof lifecycles.RestoreState.states)[number];

/** A restore state's `RestoreStateId`: its position in the description's `RestoreState` enum. */
export function restoreStateId(name: RestoreStateName): number {
  return lifecycles.RestoreState.states.indexOf(name);
}
