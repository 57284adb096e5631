#!/usr/bin/env node
import { resolve } from "node:path";
import { banner, defaultDocsDir, parseArgs, start, USAGE } from "./main.js";

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
const options = parsed;
try {
  const running = await start(options);
  console.log(banner(running.url, !options.seed, Boolean(options.docsDir ?? defaultDocsDir()), options.data && resolve(options.data)));
  const stop = (signal: string) => {
    console.log(`Received ${signal}, shutting down.`);
    running.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
} catch (error) {
  console.error(`cloud-backup-server: ${(error as Error).message}`);
  process.exit(1);
}
