import type { OperationTypes } from "@cloud-backup/spec";
import type { Tenant, World } from "./world/world.js";

/** An operationId of the Cloud Backup API. */
export type OperationName = keyof OperationTypes;
type Op<K extends OperationName> = OperationTypes[K];

type SuccessStatus = 200 | 201 | 202 | 204;

/** Path parameters of an operation, with integers already parsed. */
export type PathParams<K extends OperationName> =
  Op<K> extends { parameters: { path: infer P } } ? (P extends object ? P : Record<string, never>) : Record<string, never>;

/** The request body of an operation, after validation (`undefined` when it has none). */
export type RequestBody<K extends OperationName> =
  Op<K> extends { requestBody: { content: infer C } }
    ? C[keyof C]
    : Op<K> extends { requestBody?: { content: infer C } }
      ? C[keyof C] | undefined
      : undefined;

type Responses<K extends OperationName> = Op<K>["responses"];

/** What a handler answers: one of the operation's documented success statuses and its body. */
export type Reply<K extends OperationName> = {
  [S in keyof Responses<K> & SuccessStatus]: Responses<K>[S] extends { content: infer C }
    ? { status: S; body: C[keyof C] }
    : { status: S; body?: undefined };
}[keyof Responses<K> & SuccessStatus];

/** Everything a handler gets: the caller's tenant, validated parameters and body. */
export interface HandlerContext<K extends OperationName> {
  world: World;
  tenant: Tenant;
  params: PathParams<K>;
  body: RequestBody<K>;
  now: number;
}

/** Implements one operation. Errors are thrown as `ApiError`. */
export type Handler<K extends OperationName> = (ctx: HandlerContext<K>) => Reply<K>;

/**
 * One handler per operation of the API, mapped over the description's operationIds: a
 * missing handler (TS2741) or a misspelled one (TS2561) fails `typecheck`.
 */
export type Handlers = { [K in OperationName]: Handler<K> };
