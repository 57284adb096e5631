/**
 * @cloud-backup/server: a stateful reference server for the Rackspace Cloud Backup API v1.0.
 *
 * This entry runs on any runtime with Web APIs (fetch `Request`/`Response`, Web Crypto,
 * `TextEncoder`): browsers, workers, Deno, Bun, Node. The world lives in memory unless a
 * `store` is given; `@cloud-backup/server/node` adds the SQLite store (`data`) and serving a
 * docs folder (`docsDir`).
 *
 * @example
 * ```ts
 * import { createServer } from "@cloud-backup/server";
 * const app = createServer({ clock: { speed: 0 } });
 * const res = await app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
 * ```
 */
export { createServer, MAX_BODY_BYTES, specHash, specVersion, type CloudBackupServer, type ServerOptions } from "./app.js";
export type { WorldStore, Command } from "./world-store.js";
export type { DocsFiles } from "./docs-route.js";
export { VirtualClock, msDate } from "./clock.js";
export { ApiError, type Problem, type ProblemField } from "./problem.js";
export { compareSpecificity, routes, toHonoPath, withoutTenant, type Route } from "./routing.js";
export type { Handlers, Handler, HandlerContext } from "./handler-types.js";
export { DEMO, type SeedOptions, type WorldSeed } from "./world/seed.js";
export {
  exportWorld,
  seedProblems,
  SeedError,
  type SeedAgent,
  type SeedBackup,
  type SeedConfiguration,
  type SeedRestore,
  type SeedTenant,
} from "./world/seed-format.js";
export { World, WAKE_DELAY_MS, IDLE_AFTER_MS, type Role } from "./world/world.js";
export { encryptPassphrase, decryptPassphrase, type AgentPublicKey } from "@cloud-backup/spec/crypto";
export { strictCopy, createAjv, toProblemFields } from "./validation.js";
export { FaultRegistry, type Fault } from "./admin.js";
export { isLoopbackAddress, isLoopbackHost, type AllowedHosts } from "./guard.js";
export { MAX_DEPTH, MAX_CONFIGURATIONS_PER_TENANT, MAX_BACKUPS_PER_TENANT, MAX_ACTIVITY_ITEMS } from "./limits.js";
export { MAX_VIRTUAL_TIME } from "./clock.js";
export {
  BACKUP_LIFECYCLE,
  RESTORE_LIFECYCLE,
  RESTORE_STATES,
  followsLifecycle,
  toMermaid,
  type Lifecycle,
  type Transition,
} from "./world/states.js";
