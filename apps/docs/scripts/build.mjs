/**
 * Builds the documentation site into `apps/docs/dist/` (entry `index.html`): static files that
 * work from the file system (file://) and from any static host, with no request leaving the
 * page: no CDN scripts, styles, fonts or images.
 *
 * - The API reference (`reference/api.html`) is Redoc, built by `redocly build-docs
 *   --inlineBundle` from the bundled description of @cloud-backup/spec, which carries the
 *   `x-codeSamples` of every operation (the files of `openapi/code-samples/`, inlined by the bundle). The control API and Identity get their own pages.
 * - The guides are the Markdown files of `docs/` (and `openapi/ERRATA.md`), rendered with marked.
 * - Diagrams: the lifecycles come from `BACKUP_LIFECYCLE` / `RESTORE_LIFECYCLE` / `toMermaid` of
 *   @cloud-backup/server; a guide asks for one with `<!-- diagram: backup-lifecycle -->`, and
 *   ```mermaid blocks are diagrams too. They are rendered to inline SVG at build time with
 *   mermaid in headless Chromium; without Chromium (or with `--diagrams=client`), the site ships
 *   mermaid's own script and renders them in the browser instead.
 * - Search: `assets/search-index.js` lists every operation and every guide section.
 * - Every relative link of the guides is checked; a broken one fails the build.
 *
 * Usage: `node scripts/build.mjs [--out DIR] [--diagrams=auto|prerender|client]`.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Marked } from "marked";
import { bundleTryIt, TRYIT_PAGE, tryItPage, withTryItLinks } from "./tryit.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const docsRoot = resolve(here, "..");
export const repoRoot = resolve(docsRoot, "../..");
const require = createRequire(import.meta.url);
const run = promisify(execFile);

/** Where Chromium is looked for (Debian's package); `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The reference pages: one Redoc page per API description. */
export const REFERENCES = [
  { name: "api", file: "openapi.json", title: "API reference", nav: "Cloud Backup API" },
  { name: "admin", file: "admin.json", title: "Control API", nav: "Control API (reference server)" },
  { name: "identity", file: "identity.json", title: "Identity", nav: "Identity (tokens)" },
];

/**
 * The guides, in reading order. `source` is relative to the repository root; `optional` ones
 * are left out when their file does not exist (docs/conformance.md is written separately);
 * `nav` is a shorter title for the menu.
 */
export const GUIDES = [
  { slug: "getting-started", source: "docs/getting-started.md" },
  { slug: "authentication", source: "docs/authentication.md" },
  { slug: "agents", source: "docs/agents.md" },
  { slug: "backup-configurations", source: "docs/backup-configurations.md" },
  { slug: "backups", source: "docs/backups.md" },
  { slug: "restores", source: "docs/restores.md" },
  { slug: "encryption", source: "docs/encryption.md" },
  { slug: "errors", source: "docs/errors.md" },
  { slug: "reference-server", source: "docs/reference-server.md" },
  { slug: "testing", source: "docs/testing.md", nav: "In your test suite" },
  { slug: "conformance", source: "docs/conformance.md", optional: true, nav: "The conformance kit" },
  { slug: "internal", source: "docs/internal.md", nav: "Internal endpoints" },
  { slug: "errata", source: "openapi/ERRATA.md", nav: "Errata" },
];

/** Redoc's anchor of an operation: `#/<tag slug>/<operationId in lower case>`. */
export function redocAnchor(tag, operationId) {
  return `#/${slugify(tag)}/${operationId.toLowerCase()}`;
}

/** GitHub-style heading slug: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text) {
  return text
    .toLowerCase()
    .trim()
    .replace(/<[^>]+>/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

const escapeHtml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function readJson(specifier) {
  return JSON.parse(readFileSync(require.resolve(specifier), "utf8"));
}

/** Every operation of a description: method, path, operationId, summary, first tag. */
export function operationsOf(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "patch"]) {
      const op = item[method];
      if (op?.operationId)
        ops.push({
          method: method.toUpperCase(),
          path,
          operationId: op.operationId,
          summary: op.summary ?? "",
          tag: op.tags?.[0] ?? "",
          samples: op["x-codeSamples"] ?? [],
        });
    }
  }
  return ops;
}

// ------------------------------------------------------------------------------ diagrams

async function lifecycleDiagrams() {
  const server = await import("@cloud-backup/server");
  return {
    "backup-lifecycle": {
      code: server.toMermaid(server.BACKUP_LIFECYCLE),
      caption: "The backup lifecycle (generated from BACKUP_LIFECYCLE)",
    },
    "restore-lifecycle": {
      code: server.toMermaid(server.RESTORE_LIFECYCLE),
      caption: "The restore lifecycle (generated from RESTORE_LIFECYCLE)",
    },
  };
}

const MERMAID_CONFIG = {
  startOnLoad: false,
  securityLevel: "strict",
  theme: "neutral",
  state: { useMaxWidth: true },
  sequence: { useMaxWidth: true },
};

/** Renders mermaid sources to SVG in headless Chromium. Returns undefined when Chromium is missing. */
async function prerender(diagrams, log) {
  if (!existsSync(CHROMIUM_PATH)) return undefined;
  const { chromium } = await import("playwright-core");
  const userDataDir = mkdtempSync(join(tmpdir(), "cb-docs-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page = await context.newPage();
    // Loading mermaid from a file is much faster than injecting its 3 MB as a script tag.
    const host = join(userDataDir, "render.html");
    writeFileSync(
      host,
      `<!doctype html><html><body><script src="${pathToFileURL(require.resolve("mermaid/dist/mermaid.min.js")).href}"></script></body></html>`,
    );
    await page.goto(pathToFileURL(host).href);
    const svgs = await page.evaluate(
      async ({ items, config }) => {
        const m = /** @type {any} */ (window).mermaid;
        m.initialize(config);
        const out = [];
        for (const item of items) out.push((await m.render(item.id, item.code)).svg);
        return out;
      },
      { items: diagrams.map((d) => ({ id: d.id, code: d.code })), config: MERMAID_CONFIG },
    );
    log(`  diagrams: ${diagrams.length} pre-rendered to SVG in Chromium`);
    return svgs;
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------ markdown

/**
 * Rewrites a link of a Markdown source to the site: `x.md` to `x.html`, `op:operationId` to
 * the reference, the errata and repository files to their pages.
 */
function siteHref(href, ctx) {
  if (/^[a-z]+:\/\//i.test(href) || href.startsWith("mailto:") || href.startsWith("#")) return href;
  if (href.startsWith("op:")) {
    const id = href.slice(3);
    const op = ctx.operations.get(id);
    if (!op) throw new Error(`${ctx.source}: link to unknown operation ${id}`);
    return op.url;
  }
  const [encoded, hash] = href.split("#");
  const path = decodeURI(encoded);
  const base = path.split("/").pop() ?? "";
  if (/ERRATA\.md$/.test(path)) return `errata.html${hash ? `#${hash}` : ""}`;
  // The Try it console is a page the build makes from the description; read as files, a link
  // to it opens the script that makes it.
  if (/(?:^|\/)apps\/docs\/scripts\/tryit\.mjs$/.test(path)) return `${TRYIT_PAGE}${hash ? `#${hash}` : ""}`;
  // An operation, linked as the description file that defines it with its operationId as the
  // fragment (`../openapi/paths/v1.0_{tenant_id}_user_agents.yaml#listAgents`): a real file in
  // the repository, and the operation's place in the reference on the site.
  if (hash && /(?:^|\/)openapi\/(?:paths\/[^/]+|openapi|admin|identity)\.yaml$/.test(path)) {
    const op = ctx.operations.get(hash);
    const file = resolve(repoRoot, dirname(ctx.source), path);
    if (!op || !existsSync(file) || !new RegExp(`operationId:\\s*${hash}\\s*$`, "m").test(readFileSync(file, "utf8"))) {
      throw new Error(`${ctx.source}: link to ${href}: that file defines no operation ${hash}`);
    }
    return op.url;
  }
  // The descriptions are pages of the site; other files of the repository are linked there.
  const described = /(?:^|\/)openapi\/(openapi|admin|identity)\.yaml$/.exec(path);
  if (described) return `reference/${described[1] === "openapi" ? "api" : described[1]}.html`;
  if (path.startsWith("../") && !base.endsWith(".md")) {
    const inRepo = path.replace(/^(\.\.\/)+/, "");
    return `${ctx.repoUrl}/${inRepo.endsWith("/") ? "tree" : "blob"}/main/${inRepo}${hash ? `#${hash}` : ""}`;
  }
  if (base.endsWith(".md")) {
    const slug = base.replace(/\.md$/, "");
    const guide = GUIDES.find((g) => g.slug === slug);
    if (!guide || !ctx.present.has(guide.slug)) throw new Error(`${ctx.source}: link to ${href}, which is not a page of the site`);
    return `${slug}.html${hash ? `#${hash}` : ""}`;
  }
  return href;
}

function renderMarkdown(markdown, ctx) {
  const headings = [];
  const used = new Map();
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        const text = html
          .replace(/<[^>]+>/g, "")
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'")
          .replace(/&amp;/g, "&")
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">");
        let id = slugify(text);
        const n = used.get(id) ?? 0;
        used.set(id, n + 1);
        if (n) id = `${id}-${n}`;
        headings.push({ depth, text, id });
        // The anchor is a real link (reachable and named), not a decoration hidden from assistive technology.
        return `<h${depth} id="${escapeHtml(id)}"><a class="anchor" href="#${escapeHtml(id)}" aria-label="Link to this section: ${escapeHtml(text)}">#</a>${html}</h${depth}>\n`;
      },
      code({ text, lang }) {
        if (lang === "mermaid") {
          const index = ctx.diagrams.length;
          ctx.diagrams.push({ id: `diagram-${ctx.slug}-${index}`, code: text, caption: ctx.captions.get(text) ?? "" });
          return `<!--DIAGRAM:${index}-->`;
        }
        const language = (lang ?? "").split(/\s/)[0];
        return `<pre><code${language ? ` class="language-${escapeHtml(language)}"` : ""}>${escapeHtml(text)}</code></pre>\n`;
      },
      link({ href, title, tokens }) {
        const target = siteHref(href, ctx);
        const external = /^[a-z]+:\/\//i.test(target);
        return `<a href="${escapeHtml(target)}"${title ? ` title="${escapeHtml(title)}"` : ""}${external ? ' rel="noopener"' : ""}>${this.parser.parseInline(tokens)}</a>`;
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { html: /** @type {string} */ (html), headings };
}

// ------------------------------------------------------------------------------ pages

function layout({ title, body, nav, current, depth = 0, scripts = "", head = "" }) {
  const up = depth ? "../".repeat(depth) : "";
  const navHtml = nav
    .map(
      (group) =>
        `<h2>${escapeHtml(group.title)}</h2><ul>${group.items
          .map(
            (item) =>
              `<li><a href="${up}${item.href}"${item.href === current ? ' aria-current="page"' : ""}>${escapeHtml(item.title)}</a></li>`,
          )
          .join("")}</ul>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${head}
<title>${escapeHtml(title)} · Cloud Backup API toolkit</title>
<link rel="stylesheet" href="${up}assets/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="${up}index.html">Cloud Backup API toolkit</a>
  <div class="search" role="search">
    <input id="search" type="search" placeholder="Search operations and guides" autocomplete="off" aria-label="Search operations and guides" aria-describedby="search-help">
    <span id="search-help" class="visually-hidden">Type to search; press Down to reach the results, Enter to open the first one, Escape to clear. Press / anywhere to come back here.</span>
    <ol id="search-results" aria-label="Search results" hidden></ol>
    <p id="search-status" class="visually-hidden" role="status" aria-live="polite"></p>
  </div>
  <nav class="toplinks"><a href="${up}getting-started.html">Get started</a><a href="${up}reference/api.html">API reference</a></nav>
</header>
<div class="page">
<nav class="side" aria-label="Site">${navHtml}</nav>
<main id="main" tabindex="-1">
${body}
</main>
</div>
<script src="${up}assets/search-index.js"></script>
<script src="${up}assets/site.js"></script>
${scripts}
</body>
</html>
`;
}

function titleOf(markdown, fallback) {
  const m = /^#\s+(.+)$/m.exec(markdown);
  return m ? m[1].replace(/`/g, "").trim() : fallback;
}

/** The data URI of the small logo Redoc shows above its menu (a link back to the site). */
function logoDataUri() {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40" viewBox="0 0 240 40"><rect width="240" height="40" rx="6" fill="#0b4f6c"/><text x="14" y="26" font-family="sans-serif" font-size="15" fill="#fff">\u2190 Cloud Backup docs</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

const FIX_MENU_LINKS = `(function () {
  function fix() {
    var links = document.querySelectorAll('#redoc a[href^="/"]');
    for (var i = 0; i < links.length; i++) links[i].setAttribute("href", "#" + links[i].getAttribute("href"));
  }
  new MutationObserver(fix).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["href"] });
  fix();
})();`;

/** Builds one Redoc page with the CLI, then removes the one remote image it would load. */
async function buildReference(ref, doc, outFile, tmp) {
  const copy = ref.name === "api" ? withTryItLinks(doc) : structuredClone(doc);
  const others = REFERENCES.filter((r) => r.name !== ref.name)
    .map((r) => `[${r.nav}](${r.name}.html)`)
    .join(" · ");
  copy.info = {
    ...copy.info,
    "x-logo": { url: logoDataUri(), altText: "Back to the Cloud Backup docs", href: "../index.html" },
    description: `**[← Guides and home](../index.html)** · ${others}\n\n${copy.info?.description ?? ""}`,
  };
  const input = join(tmp, `${ref.name}.json`);
  writeFileSync(input, JSON.stringify(copy));
  const redocly = join(repoRoot, "node_modules", ".bin", "redocly");
  await run(redocly, ["build-docs", input, "--inlineBundle", "--output", outFile, "--title", `${ref.title} · Cloud Backup API toolkit`], {
    cwd: tmp,
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    maxBuffer: 16 * 1024 * 1024,
  });
  let html = readFileSync(outFile, "utf8");
  // Redoc's "API docs by" badge loads its logo from a CDN: use an inline one instead.
  const badge = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="58" height="16"><text x="0" y="12" font-family="sans-serif" font-size="11" fill="#555">Redocly</text></svg>').toString("base64")}`;
  html = html
    .replaceAll("https://cdn.redoc.ly/redoc/logo-mini-full.svg", badge)
    .replaceAll("https://cdn.redoc.ly/redoc/logo-mini.svg", badge);
  // Redoc routes by the hash (file:// has no server to answer /agents), but renders its menu links
  // as /agents: make them #/agents too, so that opening one in a new tab works.
  const end = html.lastIndexOf("</body>");
  const names = readFileSync(join(docsRoot, "src", "redoc-a11y.js"), "utf8");
  html = `${html.slice(0, end)}<script>${FIX_MENU_LINKS}</script>\n<script>${names}</script>\n${html.slice(end)}`;
  // The theme (contrast, wrapping samples): after Redoc's styles, so that it wins.
  const theme = readFileSync(join(docsRoot, "src", "redoc-theme.css"), "utf8");
  const head = html.indexOf("</head>");
  html = `${html.slice(0, head)}<style>${theme}</style>\n${html.slice(head)}`;
  const remote = /<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\//gi.exec(html);
  if (remote) throw new Error(`${outFile} still loads a remote resource: ${remote[0]}`);
  writeFileSync(outFile, html);
}

function dirSize(dir) {
  let total = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = dirSize(p);
      total += sub.bytes;
      files += sub.files;
    } else {
      total += statSync(p).size;
      files++;
    }
  }
  return { bytes: total, files };
}

/** Checks every relative href/src of the generated guide pages: the file and the anchor exist. */
function checkLinks(outDir, pages) {
  const ids = new Map();
  for (const page of pages) ids.set(page.file, new Set([...page.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
  const broken = [];
  for (const page of pages) {
    for (const m of page.html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const href = m[1].replace(/&amp;/g, "&");
      if (/^[a-z]+:/i.test(href)) continue;
      const [path, hash] = href.split("#");
      const target = path ? join(dirname(join(outDir, page.file)), path) : join(outDir, page.file);
      const rel = relative(outDir, target);
      if (!existsSync(target)) broken.push(`${page.file}: ${href} (no such file)`);
      else if (hash && ids.has(rel) && !ids.get(rel).has(decodeURIComponent(hash))) broken.push(`${page.file}: ${href} (no such anchor)`);
    }
  }
  if (broken.length) throw new Error(`Broken links:\n  ${broken.join("\n  ")}`);
}

/**
 * Builds the site. Resolves with a summary: output folder, bytes, files, pages, diagrams
 * mode and the number of code samples shown.
 */
export async function build({
  outDir = join(docsRoot, "dist"),
  diagrams = "auto",
  references: withReferences = true,
  log = console.log,
} = {}) {
  const started = Date.now();
  const docs = Object.fromEntries(REFERENCES.map((r) => [r.name, readJson(`@cloud-backup/spec/${r.file}`)]));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "reference"), { recursive: true });
  mkdirSync(join(outDir, "assets"), { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "cb-docs-"));

  // Operations of the three descriptions, with their place in the reference.
  const operations = new Map();
  for (const ref of REFERENCES) {
    for (const op of operationsOf(docs[ref.name])) {
      operations.set(op.operationId, {
        ...op,
        reference: ref.name,
        url: `reference/${ref.name}.html${redocAnchor(op.tag, op.operationId)}`,
      });
    }
  }
  const apiOps = operationsOf(docs.api);
  const missingSamples = apiOps.filter((op) => op.samples.length < 2).map((op) => op.operationId);
  if (missingSamples.length) throw new Error(`Operations without x-codeSamples: ${missingSamples.join(", ")}`);

  // (`references: false` skips Redoc, for a quick build of the guides alone.)
  const references = withReferences
    ? Promise.all(REFERENCES.map((ref) => buildReference(ref, docs[ref.name], join(outDir, "reference", `${ref.name}.html`), tmp)))
    : Promise.resolve(
        REFERENCES.map((ref) =>
          writeFileSync(join(outDir, "reference", `${ref.name}.html`), `<!doctype html><title>${ref.title}</title><p>Not built.</p>`),
        ),
      );

  // Guides.
  const present = new Set(GUIDES.filter((g) => existsSync(join(repoRoot, g.source))).map((g) => g.slug));
  for (const g of GUIDES) if (!g.optional && !present.has(g.slug)) throw new Error(`missing guide ${g.source}`);
  const lifecycles = await lifecycleDiagrams();
  const repoUrl = String(docs.api.info?.contact?.url ?? "").replace(/\/+$/, "");
  const captions = new Map(Object.values(lifecycles).map((d) => [d.code, d.caption]));
  const sources = GUIDES.filter((g) => present.has(g.slug)).map((g) => ({
    ...g,
    markdown: readFileSync(join(repoRoot, g.source), "utf8"),
  }));
  sources.unshift({ slug: "index", source: "docs/index.md", markdown: readFileSync(join(repoRoot, "docs/index.md"), "utf8") });
  const guideNav = sources
    .filter((s) => s.slug !== "index")
    .map((s) => ({ title: s.nav ?? titleOf(s.markdown, s.slug), href: `${s.slug}.html` }));
  const nav = [
    { title: "Guides", items: guideNav },
    {
      title: "Reference",
      items: [
        ...REFERENCES.map((r) => ({ title: r.nav, href: `reference/${r.name}.html` })),
        { title: "Try it (in your browser)", href: TRYIT_PAGE },
      ],
    },
  ];

  const allDiagrams = [];
  const rendered = sources.map((s) => {
    const kept = s.markdown.replace(/<!--\s*if:([a-z-]+)\s*-->\n?([\s\S]*?)<!--\s*endif\s*-->\n?/g, (_, slug, inner) =>
      present.has(slug) ? inner : "",
    );
    const withDiagrams = kept.replace(/<!--\s*diagram:\s*([a-z-]+)\s*-->/g, (_, name) => {
      const d = lifecycles[name];
      if (!d) throw new Error(`${s.source}: unknown diagram ${name}`);
      return `\`\`\`mermaid\n${d.code}\n\`\`\``;
    });
    const ctx = { slug: s.slug, source: s.source, operations, present, diagrams: [], captions, repoUrl };
    const { html, headings } = renderMarkdown(withDiagrams, ctx);
    const offset = allDiagrams.length;
    allDiagrams.push(...ctx.diagrams);
    return { ...s, html, headings, diagramOffset: offset, diagramCount: ctx.diagrams.length };
  });

  // Diagrams: inline SVG when Chromium is there, else mermaid in the browser.
  let mode = diagrams;
  let svgs;
  if (mode !== "client" && allDiagrams.length) {
    svgs = await prerender(allDiagrams, log);
    if (!svgs) {
      if (mode === "prerender") throw new Error(`Chromium not found at ${CHROMIUM_PATH}; run apps/docs/scripts/ensure-chromium.sh`);
      log(`  diagrams: Chromium not found at ${CHROMIUM_PATH}; the pages render them in the browser with the bundled mermaid`);
    }
  }
  mode = svgs ? "prerender" : "client";
  if (mode === "client") copyFileSync(require.resolve("mermaid/dist/mermaid.min.js"), join(outDir, "assets", "mermaid.min.js"));

  const pages = rendered.map((page) => {
    const body = page.html.replace(/<!--DIAGRAM:(\d+)-->/g, (_, i) => {
      const d = allDiagrams[page.diagramOffset + Number(i)];
      const caption = d.caption ? `<figcaption>${escapeHtml(d.caption)}</figcaption>` : "";
      const inner = svgs ? svgs[page.diagramOffset + Number(i)] : `<pre class="mermaid">${escapeHtml(d.code)}</pre>`;
      return `<figure class="diagram" id="${d.id}">${inner}${caption}</figure>`;
    });
    const scripts =
      mode === "client" && page.diagramCount
        ? `<script src="assets/mermaid.min.js"></script>\n<script>mermaid.initialize(${JSON.stringify({ ...MERMAID_CONFIG, startOnLoad: true })});</script>`
        : "";
    const file = `${page.slug}.html`;
    const title = page.slug === "index" ? "Home" : titleOf(page.markdown, page.slug);
    return { file, title, headings: page.headings, html: layout({ title, body, nav, current: file, scripts }) };
  });
  pages.push(
    tryItPage({
      doc: docs.api,
      layout: (page) => layout({ ...page, nav }),
      referenceUrl: (tag, id) => `reference/api.html${redocAnchor(tag, id)}`,
    }),
  );
  for (const page of pages) writeFileSync(join(outDir, page.file), page.html);

  // Assets and the search index.
  for (const asset of ["site.css", "site.js"]) copyFileSync(join(docsRoot, "src", asset), join(outDir, "assets", asset));
  const tryit = await bundleTryIt(outDir);
  log(`  try it: the simulation bundled for the browser, ${(tryit.bytes / 1024).toFixed(0)} KiB`);
  const index = [
    ...[...operations.values()].map((op) => ({
      title: op.summary,
      kind: op.reference === "api" ? `Operation · ${op.tag}` : `${REFERENCES.find((r) => r.name === op.reference)?.nav} · ${op.tag}`,
      keys: `${op.operationId} ${op.method} ${op.path}`,
      operationId: op.operationId,
      url: op.url,
    })),
    ...pages.flatMap((p) => [
      { title: p.title, kind: "Guide", keys: p.file, url: p.file },
      ...p.headings
        .filter((h) => h.depth >= 2 && h.depth <= 3)
        .map((h) => ({ title: h.text, kind: `Guide · ${p.title}`, keys: "", url: `${p.file}#${h.id}` })),
    ]),
  ];
  writeFileSync(join(outDir, "assets", "search-index.js"), `window.CLOUD_BACKUP_SEARCH = ${JSON.stringify(index)};\n`);
  // Static hosts such as GitHub Pages: serve the files as they are.
  writeFileSync(join(outDir, ".nojekyll"), "");

  await references;
  rmSync(tmp, { recursive: true, force: true });
  checkLinks(outDir, pages);

  const size = dirSize(outDir);
  const samples = apiOps.reduce((n, op) => n + op.samples.length, 0);
  const summary = {
    outDir,
    bytes: size.bytes,
    files: size.files,
    pages: pages.length + REFERENCES.length,
    operations: apiOps.length,
    samples,
    diagrams: allDiagrams.length,
    mode,
    seconds: (Date.now() - started) / 1000,
  };
  log(
    `Built ${relative(process.cwd(), outDir) || "."}: ${summary.pages} pages (${apiOps.length} operations, ${samples} code samples, ${summary.diagrams} diagrams, ${mode}), ${size.files} files, ${(size.bytes / 1024 / 1024).toFixed(1)} MiB in ${summary.seconds.toFixed(1)} s`,
  );
  return summary;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const diagramsArg = args.find((a) => a.startsWith("--diagrams="))?.split("=")[1] ?? "auto";
  if (!["auto", "prerender", "client"].includes(diagramsArg)) {
    console.error("--diagrams must be auto, prerender or client");
    process.exit(2);
  }
  try {
    await build({ outDir: outIndex >= 0 ? resolve(args[outIndex + 1]) : undefined, diagrams: diagramsArg });
  } catch (error) {
    console.error(`docs build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
