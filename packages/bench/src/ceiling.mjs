// The ceiling: a bare Hono app on @hono/node-server with one route that answers every API path
// with a body captured from the reference server (already serialised), so the difference to the
// reference server is what routing, authentication, validation, the simulation and serialisation cost.
//
// Usage: node src/ceiling.mjs PORT
// Captured answers are loaded with POST /__bench/answers [{ method, path, status, body }].
import { serve } from "@hono/node-server";
import { Hono } from "hono";

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

// One route for every API path (a lookup by method and path), as bare as a Hono app gets: the
// difference to the reference server is then everything it does per request, routing included.
app.all("/v1.0/*", async (c) => {
  // A write parses its JSON body, as any JSON API must.
  if (c.req.method !== "GET" && c.req.method !== "DELETE") await c.req.json().catch(() => undefined);
  const hit = answers.get(`${c.req.method} ${c.req.path}`);
  if (!hit) return c.json({ message: `no captured answer for ${c.req.method} ${c.req.path}` }, 404);
  if (hit.status === 204) return c.body(null, 204);
  return c.body(hit.body, /** @type {any} */ (hit.status), { "content-type": "application/json" });
});

serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => {
  console.log(`ceiling listening on http://127.0.0.1:${info.port}`);
});
