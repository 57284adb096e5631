/**
 * @cloud-backup/server: a stateful reference server for the Rackspace Cloud Backup API v1.0.
 *
 * @example
 * ```ts
 * import { createServer } from "@cloud-backup/server";
 * const app = createServer({ clock: { speed: 0 } });
 * const res = await app.request("/v1.0/1234/user/agents", { headers: { "X-Auth-Token": "demo-token" } });
 * ```
 */
export { createServer, MAX_BODY_BYTES, specHash, specVersion, type CloudBackupServer, type ServerOptions } from "./app.js";
export { VirtualClock, msDate } from "./clock.js";
export { ApiError, type Problem, type ProblemField } from "./problem.js";
export { toHonoPath, withoutTenant } from "./routing.js";
export { routes, type Handlers } from "./generated/routes.js";
export { DEMO, type SeedOptions, type WorldSeed } from "./world/seed.js";
export { exportWorld, seedProblems, SeedError, type SeedAgent, type SeedBackup, type SeedConfiguration, type SeedRestore, type SeedTenant } from "./world/seed-format.js";
export { World, WAKE_DELAY_MS, IDLE_AFTER_MS, type Role } from "./world/world.js";
export { encryptPassphrase, decryptPassphrase, type AgentPublicKey } from "./crypto/index.js";
export { strictCopy, createAjv, toProblemFields } from "./validation.js";
export { FaultRegistry, type Fault } from "./admin.js";
export { BACKUP_LIFECYCLE, RESTORE_LIFECYCLE, RESTORE_STATES, followsLifecycle, toMermaid, type Lifecycle, type Transition } from "./world/states.js";
