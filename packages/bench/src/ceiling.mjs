// The ceiling: a bare Hono app on @hono/node-server that answers every API route of the spec
// with a body captured from the reference server (already serialised), so the difference to
// the reference server is what authentication, validation, the simulation and serialisation cost.
//
// Usage: node src/ceiling.mjs PORT
// Captured answers are loaded with POST /__bench/answers [{ method, path, status, body }].
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const require = createRequire(import.meta.url);
const document = JSON.parse(readFileSync(require.resolve("@cloud-backup/spec/openapi.json"), "utf8"));
const port = Number(process.argv[2] ?? 0);

/** @type {Map<string, { status: number, body: Uint8Array }>} */
const answers = new Map();
const app = new Hono();

app.get("/__bench/health", (c) => c.json({ answers: answers.size }));
app.post("/__bench/answers", async (c) => {
  /** @type {Array<{ method: string, path: string, status: number, body: string }>} */
  const list = await c.req.json();
  // Kept as bytes, so no answer is encoded again per request.
  for (const a of list) answers.set(`${a.method} ${a.path}`, { status: a.status, body: Buffer.from(a.body, "utf8") });
  return c.json({ answers: answers.size });
});

// The same route templates as the reference server, so routing costs the same.
for (const [template, item] of Object.entries(document.paths)) {
  const path = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1");
  for (const method of ["get", "post", "put", "delete"]) {
    if (!item[method]) continue;
    const reads = method === "get" || method === "delete";
    app.on(method.toUpperCase(), path, async (c) => {
      // A write parses its JSON body, as any JSON API must.
      if (!reads) await c.req.json().catch(() => undefined);
      const hit = answers.get(`${c.req.method} ${c.req.path}`);
      if (!hit) return c.json({ message: `no captured answer for ${c.req.method} ${c.req.path}` }, 404);
      if (hit.status === 204) return c.body(null, 204);
      return c.body(hit.body, /** @type {any} */ (hit.status), { "content-type": "application/json" });
    });
  }
}

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  console.log(`ceiling listening on http://127.0.0.1:${info.port}`);
});
