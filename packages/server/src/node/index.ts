/**
 * @cloud-backup/server/node: the reference server on Node, with what only Node has: the
 * world kept in a SQLite file (`data`) and a built docs site served from a folder
 * (`docsDir`). Everything else is the runtime-neutral main entry, re-exported.
 *
 * @example
 * ```ts
 * import { serve } from "@hono/node-server";
 * import { createServer } from "@cloud-backup/server/node";
 * const app = createServer({ data: "world.db", docsDir: "apps/docs/dist" });
 * serve({ fetch: app.fetch, port: 4010, hostname: "127.0.0.1" });
 * ```
 */
import { createServer as createCoreServer, type CloudBackupServer, type ServerOptions as CoreServerOptions } from "../app.js";
import { Store } from "../store.js";
import { docsFolder } from "./docs-files.js";

export * from "../index.js";
export { Store, StoreError, SCHEMA_VERSION } from "../store.js";
export { docsFolder } from "./docs-files.js";

export interface ServerOptions extends CoreServerOptions {
  /** Keep the world in this SQLite file (created when missing); without it the world lives in memory. */
  data?: string;
  /** With `data`: fsync every commit (survives power loss, slower). By default commits survive process crashes. */
  fsync?: boolean;
  /** A built docs site (`apps/docs/dist`), served read-only at `/docs/`; unset, `/docs` answers 404 with a hint. */
  docsDir?: string;
}

/**
 * Creates the reference server (see the main entry's `createServer`) with the Node options:
 * `data` opens (or creates) the SQLite store, `docsDir` serves a folder at `/docs/`.
 *
 * @throws StoreError when the data file cannot be used (corrupt, not SQLite, or written by a newer server).
 */
export function createServer(options: ServerOptions = {}): CloudBackupServer {
  const { data, fsync, docsDir, ...core } = options;
  return createCoreServer({
    ...core,
    store: core.store ?? (data ? Store.open(data, { fsync }) : undefined),
    docs: core.docs ?? (docsDir ? docsFolder(docsDir) : undefined),
  });
}
