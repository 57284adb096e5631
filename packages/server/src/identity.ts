import { randomHex } from "./random.js";
import type { Context, Hono } from "hono";
import { MAX_VIRTUAL_TIME, type VirtualClock } from "./clock.js";
import { ApiError } from "./problem.js";
import type { Command } from "./store.js";
import type { IdentityUser, Role, World } from "./world/world.js";

/** Identity tokens last 24 hours of virtual time, as the service's usually do. */
export const IDENTITY_TOKEN_TTL_MS = 24 * 3_600_000;
const REGIONS = ["DFW", "ORD", "IAD", "LON", "HKG", "SYD"] as const;

const unauthorized = (c: Context, message: string) => c.json({ unauthorized: { code: 401, message } }, 401);
const badRequest = (c: Context, message: string) => c.json({ badRequest: { code: 400, message } }, 400);

/**
 * Where the server was reached, never taken from the `Host` header: the local address and port
 * of the socket the request came in on, or, in-process, the origin of the URL the caller gave.
 */
function localOrigin(c: Context): string {
  const socket = (c.env as { incoming?: { socket?: { localAddress?: string; localPort?: number } } } | undefined)?.incoming?.socket;
  if (socket?.localAddress && socket.localPort) {
    const address = socket.localAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
    return `http://${address.includes(":") ? `[${address}]` : address}:${socket.localPort}`;
  }
  return new URL(c.req.url).origin;
}

/** A refusal made before the call is handled (body too large, Host refused), in Identity's fault format. */
export function identityRefusal(c: Context, error: ApiError): Response {
  if (error.status === 403) return c.json({ forbidden: { code: 403, message: error.detail } }, 403);
  return badRequest(c, error.detail);
}

/**
 * Mounts a minimal Rackspace Cloud Identity v2.0 (`POST /v2.0/tokens`), so clients can test
 * authentication, the service catalog and re-authentication without the internet.
 */
export function mountIdentity(
  app: Hono,
  options: {
    world: World;
    clock: VirtualClock;
    publicUrl?: string | (() => string | undefined);
    readJson: (c: Context) => Promise<unknown>;
    persist?: (command: Command) => Promise<void>;
  },
): void {
  const { world, clock } = options;
  app.post("/v2.0/tokens", async (c) => {
    let request: any;
    try {
      request = await options.readJson(c);
    } catch (error) {
      return badRequest(c, error instanceof Error && error.message ? error.message : "Invalid json request body");
    }
    const auth = request?.auth;
    if (!auth || typeof auth !== "object") return badRequest(c, "Invalid request body: 'auth' is required");
    let user: IdentityUser | undefined;
    // A token obtained by presenting a token keeps that token's role (and tenant): never more.
    let role: Role | undefined;
    const apiKey = auth["RAX-KSKEY:apiKeyCredentials"];
    const password = auth.passwordCredentials;
    if (apiKey) {
      if (typeof apiKey.username !== "string" || typeof apiKey.apiKey !== "string")
        return badRequest(c, "username and apiKey are required");
      user = world.users.get(apiKey.username);
      if (!user || user.apiKey !== apiKey.apiKey) return unauthorized(c, "Username or api key is invalid.");
    } else if (password) {
      if (typeof password.username !== "string" || typeof password.password !== "string")
        return badRequest(c, "username and password are required");
      user = world.users.get(password.username);
      if (!user || user.password !== password.password) return unauthorized(c, "Unable to authenticate user with credentials provided.");
    } else if (auth.token) {
      if (typeof auth.token.id !== "string") return badRequest(c, "token.id is required");
      const grant = world.tokens.get(auth.token.id);
      if (!grant || (grant.expires !== undefined && grant.expires <= clock.now())) return unauthorized(c, "Token not authenticated.");
      if (auth.tenantId !== undefined && String(auth.tenantId) !== grant.tenantId)
        return unauthorized(c, "Token doesn't belong to the tenant.");
      user = [...world.users.values()].find((u) => u.tenantId === grant.tenantId) ?? {
        username: `user-${grant.tenantId}`,
        apiKey: "",
        password: "",
        tenantId: grant.tenantId,
        role: grant.role,
      };
      role = grant.role;
    } else {
      return badRequest(c, "Invalid request body: unsupported credentials");
    }
    const now = clock.now();
    const token = randomHex(16);
    const expires = Math.min(now + IDENTITY_TOKEN_TTL_MS, MAX_VIRTUAL_TIME);
    role ??= user.role;
    purgeExpiredTokens(world, now);
    world.tokens.set(token, { tenantId: user.tenantId, role, expires });
    // Kept like any other acknowledged write, so the token survives a crash.
    try {
      await options.persist?.({ kind: "token", now, payload: { token, tenantId: user.tenantId, role, expires } });
    } catch (error) {
      if (error instanceof ApiError && error.status === 503)
        return c.json({ serviceUnavailable: { code: 503, message: error.message } }, 503, error.headers);
      throw error;
    }
    // The catalog names the configured public address, never the request's Host header.
    const configured = typeof options.publicUrl === "function" ? options.publicUrl() : options.publicUrl;
    const origin = (configured || localOrigin(c)).replace(/\/+$/, "");
    const tenantId = user.tenantId;
    return c.json({
      access: {
        token: { id: token, expires: new Date(expires).toISOString(), tenant: { id: tenantId, name: tenantId } },
        user: {
          id: `u-${tenantId}`,
          name: user.username,
          "RAX-AUTH:defaultRegion": "DFW",
          roles: [{ name: role, description: "Cloud Backup role" }],
        },
        serviceCatalog: [
          {
            name: "cloudBackup",
            type: "rax:backup",
            endpoints: [
              ...REGIONS.map((region) => ({ region, tenantId, publicURL: `${origin}/v1.0/${tenantId}` })),
              { tenantId, publicURL: `${origin}/v1.0/${tenantId}` },
            ],
          },
          {
            name: "cloudFiles",
            type: "object-store",
            endpoints: [{ region: "DFW", tenantId: `MossoCloudFS_${tenantId}`, publicURL: `${origin}/files/v1/MossoCloudFS_${tenantId}` }],
          },
        ],
      },
    });
  });
}

const lastPurge = new WeakMap<World, number>();

/**
 * Drops expired Identity tokens (those with an expiry at or before `now`), at most once per
 * virtual minute, so that a long-running server does not keep every token it ever issued.
 */
export function purgeExpiredTokens(world: World, now: number): void {
  const last = lastPurge.get(world);
  if (last !== undefined && now >= last && now - last < 60_000) return;
  lastPurge.set(world, now);
  for (const [token, grant] of world.tokens) if (grant.expires !== undefined && grant.expires <= now) world.tokens.delete(token);
}
