/**
 * The "Try it" console of the docs site: `tryit.html` lists every operation of the API with a
 * "Try it" control that opens a console for it, answered by the reference server's simulation
 * running in the page (src/tryit.js, bundled with @cloud-backup/server by esbuild into
 * assets/tryit.js). Nothing is fetched: the page calls the in-page app's `fetch` directly, so
 * the console works from file:// too, where service workers are not available.
 *
 * build.mjs calls three hooks: `bundleTryIt` (the script), `tryItPage` (the page) and
 * `withTryItLinks` (a "Try it" link in each operation of the API reference).
 */
import { copyFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const docsRoot = resolve(here, "..");

/** The console's page, relative to the site's root. */
export const TRYIT_PAGE = "tryit.html";

const escapeHtml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Every operation of a description, grouped by its first tag in the order of the description's tags. */
function operationsByTag(doc) {
  const groups = new Map((doc.tags ?? []).map((t) => [t.name, []]));
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "patch"]) {
      const op = item[method];
      if (!op?.operationId) continue;
      const tag = op.tags?.[0] ?? "Other";
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push({ method: method.toUpperCase(), path, operationId: op.operationId, summary: op.summary ?? op.operationId, tag });
    }
  }
  return [...groups].filter(([, ops]) => ops.length);
}

/**
 * The console page: `{ file, title, headings, html }` as build.mjs writes its pages. `layout`
 * is the site's page layout; `referenceUrl(tag, operationId)` the operation's place in the
 * API reference.
 */
export function tryItPage({ doc, layout, referenceUrl }) {
  const groups = operationsByTag(doc);
  const headings = [{ depth: 1, text: "Try it", id: "try-it" }];
  const sections = groups
    .map(([tag, ops]) => {
      const tagId = `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
      headings.push({ depth: 2, text: tag, id: tagId });
      const items = ops
        .map((op) => {
          headings.push({ depth: 3, text: op.summary, id: op.operationId });
          return `<section class="tryit-op" id="${escapeHtml(op.operationId)}" data-operation="${escapeHtml(op.operationId)}" aria-labelledby="${escapeHtml(op.operationId)}-title">
<h3 id="${escapeHtml(op.operationId)}-title">${escapeHtml(op.summary)}</h3>
<p class="tryit-line"><span class="tryit-method tryit-${op.method.toLowerCase()}">${op.method}</span> <code>${escapeHtml(op.path)}</code> · <a href="${escapeHtml(referenceUrl(op.tag, op.operationId))}">reference</a></p>
<button type="button" class="tryit-toggle" aria-expanded="false" aria-controls="${escapeHtml(op.operationId)}-console" aria-describedby="${escapeHtml(op.operationId)}-title" disabled>Try it</button>
<div class="tryit-console" id="${escapeHtml(op.operationId)}-console" hidden></div>
</section>`;
        })
        .join("\n");
      return `<h2 id="${tagId}">${escapeHtml(tag)}</h2>\n${items}`;
    })
    .join("\n");
  const body = `<h1 id="try-it">Try it</h1>
<p>Every operation of the <a href="reference/api.html">API reference</a>, against the toolkit's simulation of the service running <strong>in this page</strong>: no server, no network, and it works offline and from a file. The console starts with the demo world (account <code>1234</code>, token <code>demo-token</code>, the agents, configurations and backups of the <a href="getting-started.html">getting started</a> guide), pre-fills each request from the description's examples with ids that exist, and keeps the state between operations: create a configuration, start a backup of it, move the clock forward, read it Completed.</p>
<noscript><p class="tryit-note">The console needs JavaScript.</p></noscript>
<div class="tryit-bar" role="group" aria-label="Simulation clock">
<p class="tryit-now">Virtual time: <output id="tryit-now" aria-live="polite">not started</output></p>
<button type="button" data-advance="60" disabled>Advance 1 minute</button>
<button type="button" data-advance="600" disabled>Advance 10 minutes</button>
<button type="button" data-advance="3600" disabled>Advance 1 hour</button>
<button type="button" id="tryit-reset" disabled>Reset the simulation</button>
</div>
${sections}`;
  const html = layout({
    title: "Try it",
    body,
    current: TRYIT_PAGE,
    // Tells a server's docs policy that this page runs the simulation (its validators compile to functions).
    head: `\n<meta name="cloud-backup-simulation" content="in-page">`,
    scripts: `<link rel="stylesheet" href="assets/tryit.css">\n<script src="assets/tryit.js"></script>`,
  });
  return { file: TRYIT_PAGE, title: "Try it", headings, html };
}

/**
 * A copy of the API description whose operations each start with a "Try it" link to their
 * console (Redoc renders descriptions as Markdown). `depth` is how deep the reference page is.
 */
export function withTryItLinks(doc, depth = 1) {
  const copy = structuredClone(doc);
  const up = "../".repeat(depth);
  for (const item of Object.values(copy.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "patch"]) {
      const op = item[method];
      if (!op?.operationId) continue;
      op.description = `[Try it](${up}${TRYIT_PAGE}#${op.operationId}) against the simulation, in your browser.\n\n${op.description ?? ""}`;
    }
  }
  return copy;
}

/** Bundles src/tryit.js with the simulation for the browser, and copies the console's styles. */
export async function bundleTryIt(outDir) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [join(docsRoot, "src", "tryit.js")],
    outfile: join(outDir, "assets", "tryit.js"),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    metafile: true,
    logLevel: "silent",
  });
  copyFileSync(join(docsRoot, "src", "tryit.css"), join(outDir, "assets", "tryit.css"));
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { bytes };
}
