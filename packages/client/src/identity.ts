import { BackupApiError, BackupNetworkError, BackupTimeoutError } from "./errors.js";
import { abortable } from "./retry.js";

/** The Cloud Backup regions. */
export const REGIONS = ["dfw", "ord", "iad", "lon", "hkg", "syd"] as const;

/** A Cloud Backup region, in either case (`"dfw"` or `"DFW"`). */
export type Region = (typeof REGIONS)[number] | Uppercase<(typeof REGIONS)[number]>;

/** The public endpoint of a region: `https://{region}.backup.api.rackspacecloud.com`. */
export function regionBaseUrl(region: Region): string {
  const code = String(region).toLowerCase();
  if (!(REGIONS as readonly string[]).includes(code))
    throw new RangeError(`Unknown region ${String(region)}; use one of ${REGIONS.join(", ")}`);
  return `https://${code}.backup.api.rackspacecloud.com`;
}

/** Rackspace Cloud Identity v2.0, global endpoint. */
export const DEFAULT_IDENTITY_URL = "https://identity.api.rackspacecloud.com";

/** Credentials for Rackspace Cloud Identity: a user name with an API key or a password. */
export type IdentityCredentials =
  | { username: string; apiKey: string; password?: never; identityUrl?: string }
  | { username: string; password: string; apiKey?: never; identityUrl?: string };

/** One endpoint of a service in the Identity service catalog. */
export interface CatalogEndpoint {
  region?: string;
  tenantId: string;
  publicURL: string;
  internalURL?: string;
}

/** One service in the Identity service catalog. */
export interface CatalogService {
  name: string;
  type: string;
  endpoints: CatalogEndpoint[];
}

/** The part of Identity's `POST /v2.0/tokens` answer the client reads. */
export interface IdentityAccess {
  token: { id: string; expires: string; tenant: { id: string; name: string } };
  user: { id: string; name: string; "RAX-AUTH:defaultRegion"?: string; roles: { name: string; description?: string }[] };
  serviceCatalog: CatalogService[];
}

/** What the client calls the API with: the token, its account and where the API answers. */
export interface Session {
  token: string;
  tenantId: string;
  /** The API's base URL, without `/v1.0/{tenant}`. */
  baseUrl: string;
  /** When the token expires (epoch ms), when known. */
  expiresAt: number | undefined;
}

/** Strips a trailing slash and a trailing `/v1.0/{tenant}` from an endpoint URL. */
export function apiRoot(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/v1\.0\/[^/]+$/, "");
}

/**
 * Picks the Cloud Backup endpoint from a service catalog: the entry of `region` when given,
 * else the global (region-less) entry, else the only entry, else the user's default region.
 *
 * @throws Error when the catalog has no Cloud Backup service or no suitable endpoint.
 */
export function selectEndpoint(access: IdentityAccess, region?: Region): CatalogEndpoint {
  const services = access.serviceCatalog ?? [];
  const service =
    services.find((s) => s.type === "rax:backup" && s.name === "cloudBackup") ??
    services.find((s) => s.type === "rax:backup") ??
    services.find((s) => s.name === "cloudBackup");
  if (!service?.endpoints?.length) throw new Error("The service catalog has no Cloud Backup endpoint (name cloudBackup, type rax:backup).");
  const endpoints = service.endpoints;
  const byRegion = (code: string | undefined) => (code ? endpoints.find((e) => e.region?.toLowerCase() === code.toLowerCase()) : undefined);
  const found =
    byRegion(region) ??
    endpoints.find((e) => !e.region) ??
    (endpoints.length === 1 ? endpoints[0] : undefined) ??
    byRegion(access.user?.["RAX-AUTH:defaultRegion"]);
  if (!found) {
    const regions = endpoints.map((e) => e.region ?? "global").join(", ");
    throw new Error(`The service catalog has no Cloud Backup endpoint for ${region ?? "the global region"} (it lists ${regions}).`);
  }
  return found;
}

type Fetch = (input: Request) => Promise<Response>;

/**
 * `POST {identityUrl}/v2.0/tokens` with an API key or a password.
 *
 * @throws BackupApiError (operationId `authenticate`) when Identity refuses; BackupNetworkError
 *   when it cannot be reached; BackupTimeoutError after `timeoutMs`; the signal's reason when it aborts.
 */
export async function authenticate(
  credentials: IdentityCredentials,
  options: { fetch?: Fetch; userAgent?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<IdentityAccess> {
  const url = `${(credentials.identityUrl ?? DEFAULT_IDENTITY_URL).replace(/\/+$/, "")}/v2.0/tokens`;
  const auth =
    credentials.apiKey !== undefined
      ? { "RAX-KSKEY:apiKeyCredentials": { username: credentials.username, apiKey: credentials.apiKey } }
      : { passwordCredentials: { username: credentials.username, password: credentials.password } };
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (options.userAgent) headers["User-Agent"] = options.userAgent;
  const timeoutMs = options.timeoutMs ?? 0;
  const timeout = new AbortController();
  const timer =
    timeoutMs > 0
      ? setTimeout(
          () =>
            timeout.abort(
              new BackupTimeoutError(`Identity did not answer within ${timeoutMs} ms`, { timeoutMs, operationId: "authenticate" }),
            ),
          timeoutMs,
        )
      : undefined;
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  const fetch: Fetch = options.fetch ?? ((request) => globalThis.fetch(request));
  const request = new Request(url, { method: "POST", headers, body: JSON.stringify({ auth }), signal });
  let response: Response;
  let text: string;
  try {
    response = await abortable(fetch(request), signal);
    text = await abortable(response.text(), signal);
  } catch (error) {
    if (timeout.signal.aborted) throw timeout.signal.reason;
    if (options.signal?.aborted) throw options.signal.reason;
    throw new BackupNetworkError({ operationId: "authenticate", method: "POST", url, cause: error });
  } finally {
    clearTimeout(timer);
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  if (!response.ok) {
    const fault = body && typeof body === "object" ? (Object.values(body)[0] as { message?: unknown } | undefined) : undefined;
    throw new BackupApiError({
      operationId: "authenticate",
      status: response.status,
      method: "POST",
      url,
      body,
      requestId: response.headers.get("x-request-id") ?? undefined,
      message: `Identity refused the credentials (${response.status})${typeof fault?.message === "string" ? `: ${fault.message}` : ""}`,
    });
  }
  const access = (body as { access?: IdentityAccess } | undefined)?.access;
  if (!access?.token?.id || !access.token.tenant?.id) {
    throw new BackupApiError({
      operationId: "authenticate",
      status: response.status,
      method: "POST",
      url,
      body,
      message: "Identity answered without access.token",
    });
  }
  return access;
}

/** Keeps a session current: authenticates lazily, again near expiry and after a 401. */
export class SessionManager {
  private current: Session | undefined;
  private pending: Promise<Session> | undefined;
  /** Identity calls made so far (for diagnostics and tests). */
  authentications = 0;

  constructor(
    private readonly source:
      | { kind: "static"; session: Session }
      | {
          kind: "identity";
          credentials: IdentityCredentials;
          region: Region | undefined;
          baseUrl: string | undefined;
          tenantId: string | undefined;
          fetch: Fetch;
          userAgent: string;
          /** Limit of one Identity call, in ms (0 for none). */
          timeoutMs: number;
          /** Re-authenticate when the token expires within this many ms. */
          refreshMarginMs: number;
        },
  ) {
    if (source.kind === "static") this.current = source.session;
  }

  get usesIdentity(): boolean {
    return this.source.kind === "identity";
  }

  /** The session to use now, authenticating first when needed. */
  async get(signal?: AbortSignal): Promise<Session> {
    const source = this.source;
    if (source.kind === "static") return source.session;
    const current = this.current;
    if (current && (current.expiresAt === undefined || current.expiresAt - Date.now() > source.refreshMarginMs)) return current;
    this.pending ??= (async () => {
      try {
        this.authentications++;
        // Shared by concurrent callers, so bound by its own limit rather than one caller's signal.
        const access = await authenticate(source.credentials, {
          fetch: source.fetch,
          userAgent: source.userAgent,
          timeoutMs: source.timeoutMs,
        });
        const endpoint = source.baseUrl === undefined ? selectEndpoint(access, source.region) : undefined;
        const expiresAt = Date.parse(access.token.expires);
        const session: Session = {
          token: access.token.id,
          tenantId: source.tenantId ?? access.token.tenant.id,
          baseUrl: apiRoot(source.baseUrl ?? endpoint!.publicURL),
          expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt,
        };
        this.current = session;
        return session;
      } finally {
        this.pending = undefined;
      }
    })();
    return abortable(this.pending, signal);
  }

  /** Forgets the token after the API refused it, so the next call authenticates again. */
  invalidate(token: string): void {
    if (this.source.kind === "identity" && this.current?.token === token) this.current = undefined;
  }
}
