/**
 * @cloud-backup/msw: Mock Service Worker handlers that answer the Rackspace Cloud Backup API
 * v1.0 from the stateful simulation of `@cloud-backup/server`, on the hosts a real client
 * calls, in Node (`msw/node`) and in the browser (`msw/browser`).
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * import { cloudBackupHandlers } from "@cloud-backup/msw";
 * import { createBackupClient } from "@cloud-backup/client";
 *
 * const handlers = cloudBackupHandlers();
 * const server = setupServer(...handlers);
 * server.listen({ onUnhandledRequest: "error" });
 *
 * const client = createBackupClient({ auth: { username: "demo", apiKey: "demo-api-key" }, region: "dfw" });
 * const agents = await client.listAgents(); // answered by the simulation, no socket
 * handlers.clock.advance(60);               // one virtual minute later
 * ```
 */
import { createServer, type CloudBackupServer, type SeedOptions, type World } from "@cloud-backup/server";
import { http, HttpResponse, type HttpHandler } from "msw";

/** The Cloud Backup regions, as in the description's `servers` (`https://{region}.backup.api.rackspacecloud.com`). */
export const REGIONS = ["dfw", "ord", "iad", "lon", "hkg", "syd"] as const;

/** The global Cloud Backup endpoint, listed in service catalogs without a region. */
export const GLOBAL_BASE_URL = "https://backup.api.rackspacecloud.com";

/** Every regional Cloud Backup host, then the global one: what a real client calls. */
export const DEFAULT_BASE_URLS: readonly string[] = [
  ...REGIONS.map((region) => `https://${region}.backup.api.rackspacecloud.com`),
  GLOBAL_BASE_URL,
];

/** Rackspace Cloud Identity v2.0, where a client with credentials gets its token. */
export const DEFAULT_IDENTITY_URL = "https://identity.api.rackspacecloud.com";

export interface CloudBackupHandlersOptions {
  /**
   * The Cloud Backup base URLs answered: the API (both path forms, `/v1.0/{tenant}/...` and
   * `/v1.0/...`), the control API (`/__admin`) and Identity. Default: `DEFAULT_BASE_URLS`.
   * To add one, keep the defaults: `[...DEFAULT_BASE_URLS, "http://localhost:4010"]`.
   */
  baseUrls?: readonly string[];
  /** Where Identity `POST /v2.0/tokens` answers (besides every base URL). Default: `DEFAULT_IDENTITY_URL`; `[]` for none. */
  identityUrls?: readonly string[];
  /** The world to start from: the demo world (default), `"empty"`, or a custom seed. */
  seed?: SeedOptions;
  /**
   * The virtual clock: start (epoch ms, default: the real time when the handlers are made) and
   * speed (virtual seconds per real second). Frozen (`speed: 0`) unless you say otherwise.
   */
  clock?: { start?: number; speed?: number };
  /** When set, the control API requires it in `X-Admin-Token`. */
  adminToken?: string;
}

/** The simulation's virtual clock, in seconds as the control API counts them. */
export interface SimulationClock {
  /** The virtual time, epoch milliseconds. */
  now(): number;
  /** Moves the virtual time forward by `seconds` (backups and restores progress, schedules fire); returns the new time. */
  advance(seconds: number): number;
  /** Virtual seconds per real second (0: frozen). */
  readonly speed: number;
}

/** The handlers (spread them into `setupServer` or `setupWorker`), with the simulation they answer from. */
export interface CloudBackupHandlers extends Array<HttpHandler> {
  /** The simulated world (tenants, tokens, agents, configurations, backups, restores), for assertions. */
  readonly world: World;
  /** The virtual clock. */
  readonly clock: SimulationClock;
  /** The simulation as a Hono app: `app.request(path, init)` calls it without MSW. */
  readonly app: CloudBackupServer;
  /** The base URLs answered. */
  readonly baseUrls: readonly string[];
  /** The Identity URLs answered. */
  readonly identityUrls: readonly string[];
  /**
   * Back to the start: the seed world, the clock at its start, no fault scenarios. Identity
   * tokens issued before are gone (a client with credentials authenticates again on its own).
   */
  reset(): void;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** The regional host of a region, when it is one of the answered base URLs; else the first base URL. */
function catalogUrl(baseUrls: readonly string[], region: string | undefined): string {
  const wanted = region ? `https://${region.toLowerCase()}.backup.api.rackspacecloud.com` : GLOBAL_BASE_URL;
  return baseUrls.includes(wanted) ? wanted : baseUrls[0]!;
}

/**
 * Identity's service catalog names the host it was asked on; a real catalog names the Cloud
 * Backup hosts. Points each Cloud Backup endpoint at its region's host (or the global one), as
 * answered here, so a client that picks its endpoint from the catalog calls what it would call
 * in production.
 */
async function withCatalog(response: Response, baseUrls: readonly string[]): Promise<Response> {
  if (!response.ok || !(response.headers.get("content-type") ?? "").includes("json")) return response;
  const body = (await response.clone().json()) as {
    access?: { serviceCatalog?: Array<{ type?: string; endpoints?: Array<{ region?: string; publicURL?: string }> }> };
  };
  for (const service of body.access?.serviceCatalog ?? []) {
    if (service.type !== "rax:backup") continue;
    for (const endpoint of service.endpoints ?? []) {
      if (typeof endpoint.publicURL !== "string") continue;
      const path = new URL(endpoint.publicURL).pathname;
      endpoint.publicURL = `${catalogUrl(baseUrls, endpoint.region)}${path}`;
    }
  }
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
}

/**
 * MSW request handlers answering the Cloud Backup API, its control API and Identity from one
 * simulated world (the reference server of `@cloud-backup/server`, in the same process).
 *
 * By default they answer every regional and the global Cloud Backup host and
 * `https://identity.api.rackspacecloud.com`, so `@cloud-backup/client` built as in production
 * (Identity credentials, a region) works with no URL changed. The clock is frozen by default:
 * move it with `handlers.clock.advance(seconds)` (or `POST /__admin/clock/advance`).
 */
export function cloudBackupHandlers(options: CloudBackupHandlersOptions = {}): CloudBackupHandlers {
  const baseUrls = (options.baseUrls ?? DEFAULT_BASE_URLS).map(trimSlash);
  if (!baseUrls.length) throw new TypeError("cloudBackupHandlers: baseUrls must list at least one base URL.");
  for (const url of baseUrls) {
    const parsed = new URL(url);
    if (parsed.search || parsed.hash) throw new TypeError(`cloudBackupHandlers: ${url} is not a base URL (no query or fragment).`);
  }
  const identityUrls = (options.identityUrls ?? [DEFAULT_IDENTITY_URL]).map(trimSlash);
  const clockStart = options.clock?.start ?? Date.now();
  const make = () =>
    createServer({
      seed: options.seed,
      adminToken: options.adminToken,
      clock: { start: clockStart, speed: options.clock?.speed ?? 0 },
    });
  let app = make();

  /** Hands the request to the simulation, with the path it has below its base URL. */
  const answer = async (request: Request, base: string): Promise<Response> => {
    const basePath = new URL(base).pathname.replace(/\/+$/, "");
    let forwarded = request;
    if (basePath) {
      const url = new URL(request.url);
      url.pathname = url.pathname.slice(basePath.length) || "/";
      forwarded = new Request(url, request);
    }
    try {
      const response = await app.fetch(forwarded);
      return new URL(forwarded.url).pathname === "/v2.0/tokens" ? await withCatalog(response, baseUrls) : response;
    } catch {
      // `Prefer: fault=reset`: the connection drops, so the caller's fetch rejects.
      return HttpResponse.error();
    }
  };

  const list = [
    ...baseUrls.map((base) => http.all(`${base}/*`, ({ request }) => answer(request, base))),
    ...identityUrls
      .filter((url) => !baseUrls.includes(url))
      .map((base) => http.post(`${base}/v2.0/tokens`, ({ request }) => answer(request, base))),
  ];

  const clock: SimulationClock = {
    now: () => app.clock.now(),
    advance(seconds: number) {
      if (!Number.isFinite(seconds) || seconds < 0)
        throw new RangeError(`clock.advance: seconds must be a finite number >= 0 (got ${seconds}).`);
      app.clock.advance(Math.round(seconds * 1000));
      app.world.catchUp(app.clock.now());
      return app.clock.now();
    },
    get speed() {
      return app.clock.speed;
    },
  };

  return Object.defineProperties(list, {
    world: { get: () => app.world, enumerable: false },
    clock: { value: clock, enumerable: false },
    app: { get: () => app, enumerable: false },
    baseUrls: { value: Object.freeze([...baseUrls]), enumerable: false },
    identityUrls: { value: Object.freeze([...identityUrls]), enumerable: false },
    reset: {
      value: () => {
        app.close();
        app = make();
      },
      enumerable: false,
    },
  }) as CloudBackupHandlers;
}
