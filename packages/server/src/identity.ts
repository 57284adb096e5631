import { randomHex } from "./random.js";
import type { Context, Hono } from "hono";
import type { VirtualClock } from "./clock.js";
import type { IdentityUser, World } from "./world/world.js";

/** Identity tokens last 24 hours of virtual time, as the service's usually do. */
export const IDENTITY_TOKEN_TTL_MS = 24 * 3_600_000;
const REGIONS = ["DFW", "ORD", "IAD", "LON", "HKG", "SYD"] as const;

const unauthorized = (c: Context, message: string) => c.json({ unauthorized: { code: 401, message } }, 401);
const badRequest = (c: Context, message: string) => c.json({ badRequest: { code: 400, message } }, 400);

/**
 * Mounts a minimal Rackspace Cloud Identity v2.0 (`POST /v2.0/tokens`), so clients can test
 * authentication, the service catalog and re-authentication without the internet.
 */
export function mountIdentity(app: Hono, options: { world: World; clock: VirtualClock }): void {
  const { world, clock } = options;
  app.post("/v2.0/tokens", async (c) => {
    let request: any;
    try {
      request = JSON.parse(await c.req.text());
    } catch {
      return badRequest(c, "Invalid json request body");
    }
    const auth = request?.auth;
    if (!auth || typeof auth !== "object") return badRequest(c, "Invalid request body: 'auth' is required");
    let user: IdentityUser | undefined;
    const apiKey = auth["RAX-KSKEY:apiKeyCredentials"];
    const password = auth.passwordCredentials;
    if (apiKey) {
      if (typeof apiKey.username !== "string" || typeof apiKey.apiKey !== "string") return badRequest(c, "username and apiKey are required");
      user = world.users.get(apiKey.username);
      if (!user || user.apiKey !== apiKey.apiKey) return unauthorized(c, "Username or api key is invalid.");
    } else if (password) {
      if (typeof password.username !== "string" || typeof password.password !== "string") return badRequest(c, "username and password are required");
      user = world.users.get(password.username);
      if (!user || user.password !== password.password) return unauthorized(c, "Unable to authenticate user with credentials provided.");
    } else if (auth.token) {
      if (typeof auth.token.id !== "string") return badRequest(c, "token.id is required");
      const grant = world.tokens.get(auth.token.id);
      if (!grant || (grant.expires !== undefined && grant.expires <= clock.now())) return unauthorized(c, "Token not authenticated.");
      if (auth.tenantId !== undefined && String(auth.tenantId) !== grant.tenantId) return unauthorized(c, "Token doesn't belong to the tenant.");
      user = [...world.users.values()].find((u) => u.tenantId === grant.tenantId) ?? {
        username: `user-${grant.tenantId}`,
        apiKey: "",
        password: "",
        tenantId: grant.tenantId,
        role: grant.role,
      };
    } else {
      return badRequest(c, "Invalid request body: unsupported credentials");
    }
    const now = clock.now();
    const token = randomHex(16);
    const expires = now + IDENTITY_TOKEN_TTL_MS;
    world.tokens.set(token, { tenantId: user.tenantId, role: user.role, expires });
    const origin = new URL(c.req.url).origin;
    const tenantId = user.tenantId;
    return c.json({
      access: {
        token: { id: token, expires: new Date(expires).toISOString(), tenant: { id: tenantId, name: tenantId } },
        user: {
          id: `u-${tenantId}`,
          name: user.username,
          "RAX-AUTH:defaultRegion": "DFW",
          roles: [{ name: user.role, description: "Cloud Backup role" }],
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
