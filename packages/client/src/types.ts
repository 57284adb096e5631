/**
 * Types of the operation methods, derived from the generated `operations` interface of
 * `@cloud-backup/spec`: nothing here names an operation except the one refinement of
 * `requestBackupAction`'s answer.
 */
import type { components, OperationTypes } from "@cloud-backup/spec";
import type { RetryOptions } from "./retry.js";

/** Every schema of the API, for example `Schemas["Agent"]`. */
export type Schemas = components["schemas"];

/** Every operationId of the API. */
export type OperationId = keyof OperationTypes & string;

type Op<K extends OperationId> = OperationTypes[K];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The path parameters of an operation, without `tenant_id` (the client fills it in). */
export type PathParamsOf<K extends OperationId> = Simplify<Omit<Op<K>["parameters"]["path"], "tenant_id">>;

/** The JSON request body of an operation, or `never` when it takes none. */
export type RequestBodyOf<K extends OperationId> =
  Op<K> extends { requestBody: { content: infer C } } ? (C extends { "application/json": infer B } ? B : never) : never;

type SuccessStatus = 200 | 201 | 202 | 203 | 204;
type JsonContentOf<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
type SuccessStatusOf<K extends OperationId> = SuccessStatus & keyof Op<K>["responses"];

/**
 * What a successful call resolves to: the JSON body of each documented success status,
 * `undefined` for a status without a body.
 */
export type ResultOf<K extends OperationId> = { [S in SuccessStatusOf<K>]: JsonContentOf<Op<K>["responses"][S]> }[SuccessStatusOf<K>];

/** Options every call accepts next to its parameters. */
export interface CallOptions {
  /** Abort the HTTP attempt after this many milliseconds with a `BackupTimeoutError` (default: the client's `timeoutMs`). */
  timeoutMs?: number;
  /** Cancels the call, including retry pauses; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Retry policy for this call only; `false` turns retries off. */
  retry?: RetryOptions | false;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

type BodyArg<K extends OperationId> = [RequestBodyOf<K>] extends [never] ? { body?: never } : { body: RequestBodyOf<K> };

/** The one argument of an operation method: path parameters, `body`, and call options. */
export type ArgsOf<K extends OperationId> = Simplify<PathParamsOf<K> & BodyArg<K> & CallOptions>;

/** An operation method; the argument is optional when the operation needs neither parameters nor a body. */
export type OperationMethod<K extends OperationId> =
  {} extends ArgsOf<K> ? (args?: ArgsOf<K>) => Promise<ResultOf<K>> : (args: ArgsOf<K>) => Promise<ResultOf<K>>;

type ManualAction = Schemas["ManualAction"];

/**
 * `requestBackupAction` answers the new backup's id for `StartManual` and nothing for
 * `StopManual`; with a literal `Action` the result type says which.
 */
export type RequestBackupActionMethod = <A extends ManualAction>(
  args: Simplify<{ body: Simplify<Schemas["BackupActionRequest"] & { Action: A }> } & CallOptions>,
) => Promise<A extends "StartManual" ? number : undefined>;

/** One method per operation of the API, named by operationId. */
export type OperationMethods = Simplify<
  { [K in Exclude<OperationId, "requestBackupAction">]: OperationMethod<K> } & {
    requestBackupAction: RequestBackupActionMethod;
  }
>;
