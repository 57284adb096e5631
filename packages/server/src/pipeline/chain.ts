/**
 * The steps of an operation's pipeline as one handler, so each operation is one route. Hono
 * registers every handler given to `app.on` as a route of its own, and its router's work per
 * request grows with the number of routes: nine steps for each of 66 operation paths made 600
 * routes, and finding the nine handlers of a request took more time than the rest of a read.
 *
 * The steps run as Hono runs middleware (koa-style `next`): a step that returns an answer ends
 * the chain; an error thrown by a step is answered by `onError` at that step, so the steps
 * before it (outer ones) still see the answer on the way out, as they do in Hono.
 */
import type { Context, ErrorHandler, MiddlewareHandler } from "hono";

export function chain<E extends { Variables: object }>(steps: readonly MiddlewareHandler<E>[], onError: ErrorHandler<E>) {
  return async (c: Context<E>): Promise<Response> => {
    const dispatch = async (i: number): Promise<void> => {
      const step = steps[i];
      if (!step) return;
      let answer: Response | void;
      let failed = false;
      try {
        answer = await step(c, () => dispatch(i + 1));
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        c.error = error;
        answer = await onError(error, c);
        failed = true;
      }
      if (answer && (!c.finalized || failed)) c.res = answer;
    };
    await dispatch(0);
    return c.res;
  };
}
