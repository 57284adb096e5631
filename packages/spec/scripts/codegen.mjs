/**
 * Regenerates everything in @cloud-backup/spec that derives from the API descriptions in
 * `openapi/` at the repository root:
 *
 * - `openapi.json` and `openapi.yaml`: the bundled description (`redocly bundle`).
 * - `admin.json`, `identity.json`, `internal.json`: the control API, the Identity and the internal-endpoint descriptions, bundled, when present.
 * - `src/generated/internal.ts`: TypeScript types of the internal endpoints (`openapi/internal.yaml`).
 * - `src/generated/openapi.ts`: TypeScript types from `openapi-typescript`.
 * - `src/generated/operations.ts`: the operation table (method, path, operationId, tag, statuses,
 *   the roles that may call it, from each operation's `security` scopes) and the lifecycles
 *   (`x-lifecycle` on the state schemas), with each lifecycle's states ranked in order.
 * - `src/generated/document.ts`: the bundled description as a module, for validators.
 * - `packages/server/seed.schema.json`: the seed format (`WorldSeed` of `openapi/admin.yaml`) as a
 *   standalone JSON Schema (2020-12) for editors and other tools, every schema it uses under `$defs`.
 * - The facts the prose states in the Markdown around the repository (the roles table, the
 *   backup and restore states): each between `<!-- spec:NAME -->` and `<!-- /spec:NAME -->`
 *   in the files listed in MARKDOWN, rewritten from the description, so no copy can drift.
 *
 * Naming rule: an operation's canonical key is `"METHOD /path"` with the path exactly as in
 * the description (`"GET /v1.0/{tenant_id}/agent/{machineAgentId}"`).
 *
 * Usage: `node scripts/codegen.mjs` writes the files; `node scripts/codegen.mjs --check`
 * writes nothing, prints every stale file and exits 1 when one is stale.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { stringify } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, "..");
const root = resolve(pkg, "../..");
const check = process.argv.includes("--check");

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function findRedocly() {
  let dir = pkg;
  for (;;) {
    const candidate = join(dir, "node_modules", ".bin", "redocly");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("redocly CLI not found; run npm ci");
    dir = parent;
  }
}

function bundle(source) {
  const tmp = mkdtempSync(join(tmpdir(), "cb-bundle-"));
  try {
    const out = join(tmp, "bundle.json");
    execFileSync(findRedocly(), ["bundle", source, "--output", out, "--ext", "json"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    return JSON.parse(readFileSync(out, "utf8"));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function operationTable(doc) {
  const rows = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const statuses = Object.keys(op.responses ?? {})
        .map(Number)
        .sort((a, b) => a - b);
      const body = op.requestBody?.content ? Object.keys(op.requestBody.content) : [];
      const security = op.security ?? doc.security ?? [];
      const roles = [...new Set(security.flatMap((requirement) => Object.values(requirement).flat()))];
      rows.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        tag: op.tags?.[0] ?? "",
        summary: op.summary ?? "",
        statuses,
        successStatuses: statuses.filter((s) => s >= 200 && s < 300),
        requestMediaTypes: body,
        roles,
      });
    }
  }
  rows.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
  return rows;
}

/**
 * The lifecycles the description declares (`x-lifecycle` on a state schema), keyed by schema
 * name. `order` lists the states that are not terminal by their rank (the longest chain of
 * transitions from an initial state), so a tool can tell a state that went backwards.
 */
function lifecycles(doc) {
  const out = {};
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    const declared = schema["x-lifecycle"];
    if (!declared) continue;
    const states = schema.enum ?? [];
    for (const t of declared.transitions) {
      for (const s of [t.from, t.to]) if (!states.includes(s)) throw new Error(`${name} x-lifecycle names ${s}, which is not in its enum`);
    }
    const rank = new Map(declared.initial.map((s) => [s, 0]));
    for (let changed = true, rounds = 0; changed; rounds++) {
      if (rounds > states.length) throw new Error(`${name} x-lifecycle has a cycle`);
      changed = false;
      for (const t of declared.transitions) {
        const next = (rank.get(t.from) ?? -Infinity) + 1;
        if (next > (rank.get(t.to) ?? -1)) {
          rank.set(t.to, next);
          changed = true;
        }
      }
    }
    const order = states.filter((s) => !declared.terminal.includes(s) && rank.has(s)).sort((a, b) => rank.get(a) - rank.get(b));
    out[name] = { states, ...declared, order };
  }
  return out;
}

/** The `WorldSeed` schema of the control API as a standalone JSON Schema, or undefined without one. */
function seedSchema(admin) {
  const all = admin?.components?.schemas;
  if (!all?.WorldSeed) return undefined;
  const defs = {};
  const rewrite = (node) => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!node || typeof node !== "object") return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) {
        const name = value.slice("#/components/schemas/".length);
        if (!(name in defs)) {
          defs[name] = null;
          defs[name] = rewrite(all[name]);
        }
        out.$ref = `#/$defs/${name}`;
      } else out[key] = rewrite(value);
    }
    return out;
  };
  const rootSchema = rewrite(all.WorldSeed);
  const sorted = Object.fromEntries(
    Object.keys(defs)
      .sort()
      .map((k) => [k, defs[k]]),
  );
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://cloud-backup.dev/schemas/seed.schema.json",
    $comment: `Generated by packages/spec/scripts/codegen.mjs from openapi/admin.yaml (WorldSeed), control API ${admin.info.version}. Do not edit.`,
    ...rootSchema,
    $defs: sorted,
  };
}

/** Markdown files with `<!-- spec:NAME -->` regions, relative to the repository root. */
const MARKDOWN = [
  "README.md",
  "docs/authentication.md",
  "docs/backups.md",
  "docs/errors.md",
  "docs/restores.md",
  "packages/client/README.md",
];

/** The request limits and per-account caps (`info.x-limits`), every one present and a positive integer. */
function limitsOf(doc) {
  const limits = doc.info?.["x-limits"] ?? {};
  for (const name of ["maxBodyBytes", "maxDepth", "maxConfigurationsPerTenant", "maxBackupsPerTenant", "maxActivityItems"]) {
    if (!Number.isInteger(limits[name]) || limits[name] <= 0)
      throw new Error(`openapi/openapi.yaml: info.x-limits.${name} must be a positive integer`);
  }
  return limits;
}

const count = (n) => n.toLocaleString("en-US");
const bytes = (n) => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${count(n)} bytes`);

const code = (names) => names.map((n) => `\`${n}\``).join(", ");

/** The Markdown each `spec:NAME` region holds. */
function markdownFacts(rows, lifecycle, limits) {
  const roles = [...new Set(rows.flatMap((r) => r.roles))];
  const byRole = new Map(roles.map((role) => [role, rows.filter((r) => r.roles.includes(role)).map((r) => r.operationId)]));
  // Roles from the fewest operations to the most; each row adds what the one before lacks.
  const ordered = roles.sort((a, b) => byRole.get(a).length - byRole.get(b).length);
  const table = ["| Role | May call |", "|---|---|"];
  let before = [];
  for (const role of ordered) {
    const ops = byRole.get(role);
    const added = ops.filter((op) => !before.includes(op));
    const what = before.length ? `what the role above may, and ${code(added)}` : `${ops.length} operations: ${code(ops)}`;
    table.push(`| \`${role}\` | ${what} (${ops.length} of ${rows.length}) |`);
    before = ops;
  }
  const backup = lifecycle.BackupState;
  const restore = lifecycle.RestoreState;
  const id = (name) => restore.states.indexOf(name);
  const restoreNames = (names) => names.map((n) => `${id(n)} (${n})`).join(", ");
  const idTable = ["| Id | State | Terminal |", "|---|---|---|"];
  for (const name of restore.states) idTable.push(`| ${id(name)} | ${name} | ${restore.terminal.includes(name) ? "yes" : ""} |`);
  return {
    roles: table.join("\n"),
    "backup-states": `The terminal states are ${code(backup.terminal)}; a backup can be restored from ${code(backup.restorable)}. Before a terminal state a backup moves through ${code(backup.order)}, in that order.`,
    "restore-states": `A restore moves through ${restoreNames(restore.order)}, in that order, to a terminal state: ${restoreNames(restore.terminal)}.`,
    "restore-ids": idTable.join("\n"),
    limits:
      `On every route (the API, Identity and the control API): bodies over ${bytes(limits.maxBodyBytes)} are refused with a 400 while they are read ` +
      `(a chunked body is cut off past ${bytes(limits.maxBodyBytes)}, never buffered whole), and JSON nested deeper than ${limits.maxDepth} levels gets a 400 before parsing. ` +
      `Per account (ERRATA E-35): at most ${count(limits.maxConfigurationsPerTenant)} backup configurations (then 409), the history of the newest ` +
      `${count(limits.maxBackupsPerTenant)} backups, and activity lists of the newest ${count(limits.maxActivityItems)} items.`,
    "body-limits": `A body is too large past ${bytes(limits.maxBodyBytes)} (${count(limits.maxBodyBytes)} bytes), and too deep past ${limits.maxDepth} levels of JSON nesting; either is a 400, because the description documents no 413.`,
  };
}

/** `text` with every `<!-- spec:NAME -->` region holding `facts[NAME]`. */
function fillRegions(text, facts, file) {
  return text.replace(/(<!-- spec:([a-z-]+) -->\n)[\s\S]*?(\n<!-- \/spec:\2 -->)/g, (_, open, name, close) => {
    if (!(name in facts)) throw new Error(`${file}: unknown region spec:${name}`);
    return open + facts[name] + close;
  });
}

async function main() {
  const files = new Map();
  const doc = bundle("openapi/openapi.yaml");
  const docText = json(doc);
  const hash = sha256(docText);
  const version = doc.info.version;
  const banner = [
    "// Generated by packages/spec/scripts/codegen.mjs from openapi/openapi.yaml. Do not edit.",
    `// Spec version ${version}, content hash sha256:${hash}.`,
    "",
  ].join("\n");

  files.set("openapi.json", docText);
  files.set("openapi.yaml", stringify(doc, { lineWidth: 0 }));

  const extras = {};
  for (const name of ["admin", "identity", "internal"]) {
    const source = `openapi/${name}.yaml`;
    if (!existsSync(join(root, source))) continue;
    extras[name] = bundle(source);
    files.set(`${name}.json`, json(extras[name]));
  }

  const ast = await openapiTS(structuredClone(doc), {
    alphabetize: false,
    exportType: false,
  });
  files.set("src/generated/openapi.ts", `${banner}\n${astToString(ast)}`);

  if (extras.internal) {
    const internalAst = await openapiTS(structuredClone(extras.internal), { alphabetize: false, exportType: false });
    files.set(
      "src/generated/internal.ts",
      `${banner.replace("from openapi/openapi.yaml", "from openapi/internal.yaml")}\n${astToString(internalAst)}`,
    );
  }

  const rows = operationTable(doc);
  const adminRows = extras.admin ? operationTable(extras.admin) : [];
  const identityRows = extras.identity ? operationTable(extras.identity) : [];
  const internalRows = extras.internal ? operationTable(extras.internal) : [];
  files.set(
    "src/generated/operations.ts",
    banner +
      "\n" +
      `/** The spec's \`info.version\`. */\nexport const specVersion = ${JSON.stringify(version)};\n\n` +
      `/** sha256 of the bundled \`openapi.json\`. */\nexport const specHash = ${JSON.stringify(hash)};\n\n` +
      `/** Every operation of the Cloud Backup API, sorted by path then method. */\nexport const operations = ${JSON.stringify(rows, null, 2)} as const;\n\n` +
      `/** Every operation of the reference server's control API (\`openapi/admin.yaml\`). */\nexport const adminOperations = ${JSON.stringify(adminRows, null, 2)} as const;\n\n` +
      `/** Every operation of the minimal Identity service (\`openapi/identity.yaml\`). */\nexport const identityOperations = ${JSON.stringify(identityRows, null, 2)} as const;\n\n` +
      `/** The request limits and per-account caps the description states (\`info.x-limits\`, ERRATA E-35). */\nexport const limits = ${JSON.stringify(limitsOf(doc), null, 2)} as const;\n\n` +
      `/** The lifecycles of the state schemas (\`x-lifecycle\`), with their states in \`enum\` order and the non-terminal ones ranked in \`order\`. */\nexport const lifecycles = ${JSON.stringify(lifecycles(doc), null, 2)} as const;\n` +
      `/** The internal endpoints the official clients call (\`openapi/internal.yaml\`; not part of the published reference). */\nexport const internalOperations = ${JSON.stringify(internalRows, null, 2)} as const;\n`,
  );
  files.set(
    "src/generated/document.ts",
    banner +
      "\n/** The bundled API description. */\n" +
      `export const document = ${JSON.stringify(doc, null, 2)} as const;\n\n` +
      `/** The bundled control API description (empty object when absent). */\nexport const adminDocument = ${JSON.stringify(extras.admin ?? {}, null, 2)} as const;\n\n` +
      `/** The bundled Identity description (empty object when absent). */\nexport const identityDocument = ${JSON.stringify(extras.identity ?? {}, null, 2)} as const;\n\n` +
      `/** The bundled internal-endpoint description (empty object when absent). */\nexport const internalDocument = ${JSON.stringify(extras.internal ?? {}, null, 2)} as const;\n`,
  );

  const seed = seedSchema(extras.admin);
  if (seed) files.set(relative(pkg, join(root, "packages/server/seed.schema.json")), json(seed));

  const facts = markdownFacts(rows, lifecycles(doc), limitsOf(doc));
  for (const file of MARKDOWN) {
    const source = join(root, file);
    files.set(relative(pkg, source), fillRegions(readFileSync(source, "utf8"), facts, file));
  }

  const stale = [];
  for (const [file, content] of files) {
    const target = join(pkg, file);
    const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
    if (current === content) continue;
    stale.push(relative(root, target));
    if (!check) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
  if (check) {
    if (stale.length) {
      console.error(`Stale generated files (run \`npm run codegen\`):\n${stale.map((f) => `  - ${f}`).join("\n")}`);
      process.exit(1);
    }
    console.log("Generated files are up to date.");
  } else {
    console.log(stale.length ? `Wrote ${stale.length} file(s):\n${stale.map((f) => `  - ${f}`).join("\n")}` : "Nothing to regenerate.");
  }
}

await main();
