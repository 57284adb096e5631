#!/usr/bin/env node
import * as nodeModule from "node:module";

// On Node 22.1 and later, compiled code is kept on disk between runs (Node's module compile
// cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off), which shortens later start-ups. Static
// imports would be compiled before this line runs, so the rest is imported after it.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { specVersion } = await import("@cloud-backup/server");
const { banner, defaultDocsDir, parseArgs, start, StartupError, USAGE, VERSION } = await import("./main.js");

let parsed;
try {
  parsed = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error(`cloud-backup-server: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed === "help") {
  console.log(USAGE);
  process.exit(0);
}
if (parsed === "version") {
  console.log(`cloud-backup-server ${VERSION} (Cloud Backup API description ${specVersion})`);
  process.exit(0);
}
const options = parsed;
try {
  const running = await start(options);
  console.log(
    banner(running.url, {
      seeded: !options.seed,
      seedFile: options.seed,
      resumed: running.resumed,
      docs: Boolean(options.docsDir ?? defaultDocsDir()),
      data: options.data,
      fsync: options.fsync,
      clockSpeed: options.clockSpeed,
      adminToken: Boolean(options.adminToken),
      cors: options.cors,
    }),
  );
  const stop = (signal: string) => {
    console.log(`Received ${signal}, shutting down.`);
    running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
} catch (error) {
  // Start-up failures are said in one line (and a hint for those a user can fix), never a stack trace.
  console.error(`cloud-backup-server: ${error instanceof StartupError ? error.message : ((error as Error).message ?? String(error))}`);
  process.exit(1);
}
