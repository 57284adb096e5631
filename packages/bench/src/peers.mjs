// The mock servers users pick instead of the reference server, started the way their own
// documentation starts them and given the same answers where they can hold them:
// WireMock (its standalone jar, from the `wiremock` npm package; needs `java`), the Mockoon
// CLI on the bundled description, json-server on a db file, and Prism on the description.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort, http, SPEC, startProcess } from "./servers.mjs";

const require = createRequire(import.meta.url);

/** A package's installed version, or undefined when it is not installed. */
export function packageVersion(name) {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return undefined;
  }
}

/** The path of a package's command-line entry point (undefined when it is not installed). */
function binOf(name, command) {
  try {
    const pkg = require.resolve(`${name}/package.json`);
    const bin = require(pkg).bin;
    return join(dirname(pkg), typeof bin === "string" ? bin : bin[command]);
  } catch {
    return undefined;
  }
}

/** `java -version`'s first line, or undefined when there is no java on the PATH. */
export function javaVersion() {
  // java -version writes to stderr.
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stderr}${r.stdout}`.trim().split("\n")[0] || "java";
}

/** The WireMock standalone jar shipped in the `wiremock` npm package. */
export function wiremockJar() {
  const version = packageVersion("wiremock");
  if (!version) return undefined;
  return join(dirname(require.resolve("wiremock/package.json")), "build", `wiremock-standalone-${version}.jar`);
}

/**
 * WireMock with one stub per captured answer (method, exact path, status, the same bytes).
 * @param {Array<{ method: string, path: string, status: number, body: string }>} answers
 */
export async function startWiremock(answers) {
  const jar = wiremockJar();
  if (!jar) throw new Error("the wiremock package is not installed");
  const java = javaVersion();
  if (!java) throw new Error("java is not on the PATH (apt-get install openjdk-17-jre-headless)");
  const port = await freePort();
  // No request journal: a long load would otherwise keep every request in memory.
  const proc = await startProcess({
    name: "wiremock",
    command: "java",
    args: ["-jar", jar, "--port", String(port), "--bind-address", "127.0.0.1", "--disable-banner", "--no-request-journal"],
    port,
    probePath: "/__admin/health",
    timeoutMs: 90_000,
    pollMs: 200,
  });
  for (const a of answers) {
    const mapping = {
      request: { method: a.method, url: a.path },
      response: { status: a.status, body: a.body, headers: { "Content-Type": "application/json" } },
    };
    const res = await http(`${proc.baseUrl}/__admin/mappings`, { method: "POST", body: JSON.stringify(mapping), timeoutMs: 30_000 });
    if (res.status !== 201) throw new Error(`WireMock refused a mapping: ${res.status} ${res.body.slice(0, 200)}`);
  }
  return proc;
}

/** The Mockoon CLI serving the bundled description (its routes answer the documented examples). */
export async function startMockoon() {
  const bin = binOf("@mockoon/cli", "mockoon-cli");
  if (!bin) throw new Error("@mockoon/cli is not installed");
  const port = await freePort();
  return startProcess({
    name: "mockoon",
    command: process.execPath,
    // --disable-log-to-file: logs go to stdout only (it still logs every transaction there, as by default).
    args: [bin, "start", "--data", SPEC, "--port", String(port), "--hostname", "127.0.0.1", "--disable-log-to-file", "--disable-admin-api"],
    port,
    probePath: "/v1.0/1234/agent/213564",
    probeHeaders: { "x-auth-token": "demo-token" },
    timeoutMs: 90_000,
    pollMs: 100,
  });
}

/**
 * json-server on a db file (it writes the file after every change, as users run it), with
 * routes that map the API's paths onto its collections.
 * @param {string} dir folder for db.json and routes.json
 * @param {Record<string, unknown[]>} db collections (each item has an `id`)
 * @param {Record<string, string>} routes rewrites, json-server style ("/v1.0/1234/agent/:id": "/agents/:id")
 */
export async function startJsonServer(dir, db, routes) {
  const bin = binOf("json-server", "json-server");
  if (!bin) throw new Error("json-server is not installed");
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, "json-server-db.json");
  const routesFile = join(dir, "json-server-routes.json");
  writeFileSync(dbFile, JSON.stringify(db));
  writeFileSync(routesFile, JSON.stringify(routes));
  const port = await freePort();
  return startProcess({
    name: "json-server",
    command: process.execPath,
    args: [bin, dbFile, "--routes", routesFile, "--port", String(port), "--host", "127.0.0.1", "--quiet", "--no-gzip"],
    port,
    probePath: "/db",
    timeoutMs: 90_000,
    pollMs: 100,
  });
}
