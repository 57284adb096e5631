import { serve } from "@hono/node-server";
import { createServer } from "@cloud-backup/server";
const app = createServer({ log: (l) => console.log(l) });
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 4011), hostname: "127.0.0.1" }, (i) => console.log("listening", i.port));
