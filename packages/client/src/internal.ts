/**
 * Types of `client.internal`: the endpoints the official clients call that the published
 * reference leaves out (`openapi/internal.yaml`). Kept apart from the 33 operations.
 */
import type { InternalComponents, InternalOperationTypes } from "@cloud-backup/spec";
import type { CallOptions } from "./types.js";

/** The schemas of the internal endpoints, for example `InternalSchemas["AgentConfiguration"]`. */
export type InternalSchemas = InternalComponents["schemas"];

/** Every operationId of the internal endpoints. */
export type InternalOperationId = keyof InternalOperationTypes & string;

type Op<K extends InternalOperationId> = InternalOperationTypes[K];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type SuccessStatus = 200 | 201 | 202 | 203 | 204;
type JsonContentOf<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
type SuccessStatusOf<K extends InternalOperationId> = SuccessStatus & keyof Op<K>["responses"];

/** What a successful internal call resolves to. */
export type InternalResultOf<K extends InternalOperationId> = {
  [S in SuccessStatusOf<K>]: JsonContentOf<Op<K>["responses"][S]>;
}[SuccessStatusOf<K>];

/** The argument of an internal method: its path parameters (without `tenant_id`) and call options. */
export type InternalArgsOf<K extends InternalOperationId> = Simplify<Omit<Op<K>["parameters"]["path"], "tenant_id"> & CallOptions>;

/** One method per internal endpoint, named by operationId. */
export type InternalOperationMethods = { [K in InternalOperationId]: (args: InternalArgsOf<K>) => Promise<InternalResultOf<K>> };
