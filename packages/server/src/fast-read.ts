/**
 * Kept reads answered before routing. A GET whose answer is kept (see answer-cache.ts) is
 * written again without Hono's router and the operation's pipeline, which cost more than the
 * rest of such a read together. It is the same answer the pipeline's `answerCache` step gives,
 * with the same headers, after the same checks of the outer middleware; anything this path
 * does not handle itself goes the whole way instead:
 *
 * - a method other than GET, a query string or an escaped character in the path;
 * - `Prefer`, `Origin` (CORS is the pipeline's), a fault scenario, a server with CORS on;
 * - a token that is missing, unknown or expired, a `Host` the server refuses;
 * - a data file whose clock mark cannot be written, or that cannot be used;
 * - no kept answer for this account and path at this revision and time.
 */
import type { AnswerCache } from "./answer-cache.js";
import type { FaultRegistry } from "./admin.js";
import type { VirtualClock } from "./clock.js";
import { type AllowedHosts, hostAccepted } from "./guard.js";
import type { Persistence } from "./persistence.js";
import { randomUUID } from "./random.js";
import { serveKeptBytes } from "./read-path.js";
import type { World } from "./world/world.js";

export interface FastReadDeps {
  world: World;
  clock: VirtualClock;
  answers: AnswerCache;
  faults: FaultRegistry;
  persistence: Persistence;
  allowedHosts?: AllowedHosts;
  /** Whether CORS is on (its headers are the pipeline's to add). */
  cors: boolean;
  /** Logs a request line as the request log does (method, path, operation, status, time). */
  logRequest?: (method: string, path: string, operationId: string, status: number, started: number) => void;
}

/** Node's adapter hands the raw request over as `env.incoming`; its parsed headers cost less than a Headers object. */
type Env = { incoming?: { url?: string; headers: Record<string, string | string[] | undefined> } } | undefined;

/** The answer of a kept read, or undefined when the request must go the whole way. */
export function fastRead(deps: FastReadDeps): (request: Request, env: unknown) => Response | undefined {
  const { world, clock, answers, faults, persistence, allowedHosts, logRequest } = deps;
  if (deps.cors) return () => undefined;
  return (request, env) => {
    if (request.method !== "GET" || faults.faults.length) return undefined;
    const started = logRequest ? performance.now() : 0;
    const incoming = (env as Env)?.incoming;
    const header = incoming
      ? (name: string) => {
          const value = incoming.headers[name];
          return Array.isArray(value) ? value.join(", ") : value;
        }
      : (name: string) => request.headers.get(name) ?? undefined;
    const path = incoming?.url ?? pathOf(request.url);
    if (!path?.startsWith("/v1.0/") || path.includes("?") || path.includes("%")) return undefined;
    if (header("prefer") !== undefined || header("origin") !== undefined) return undefined;
    if (allowedHosts !== undefined && incoming && !hostAccepted(allowedHosts, header("host"))) return undefined;
    const token = header("x-auth-token");
    const grant = token === undefined ? undefined : world.tokens.get(token);
    const now = clock.now();
    if (!grant || (grant.expires !== undefined && grant.expires <= now)) return undefined;
    const hit = answers.get(`${grant.tenantId} ${path}`, world.revisionOf(grant.tenantId), now);
    if (!hit?.operationId) return undefined;
    try {
      persistence.assertUsable();
      persistence.markClock(true);
    } catch {
      return undefined; // the pipeline answers the 503
    }
    const response = serveKeptBytes(hit, header("x-request-id") ?? randomUUID());
    persistence.markClock(false);
    logRequest?.("GET", path, hit.operationId, hit.status, started);
    return response;
  };
}

/** The path of an absolute URL (`http://host/v1.0/x?y` is `/v1.0/x?y`). */
function pathOf(url: string): string | undefined {
  const at = url.indexOf("/", url.indexOf("//") + 2);
  return at < 0 ? undefined : url.slice(at);
}
