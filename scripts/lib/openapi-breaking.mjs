/**
 * The breaking-change gate: compares two bundled OpenAPI 3.x descriptions (the last released
 * one and the working one) and lists every change, telling those that break clients built
 * against the old description from those that do not.
 *
 * Written here because no maintained OpenAPI diff tool from the npm registry handled
 * OpenAPI 3.1 on Node 20 (oasdiff is a Go binary, not on npm; @pb33f/openapi-changes
 * downloads a binary at install time; openapi-diff and api-smart-diff target OpenAPI 3.0).
 * `redocly diff` (Redocly CLI 2.x, already a dependency) now does, but is experimental,
 * needs a process per comparison, and rates one of the fixtures this gate calls breaking
 * (a response enum losing a value) as a patch; so it runs beside the gate as a second
 * opinion (packages/release-checks/test/redocly-diff.test.ts) instead of replacing it.
 *
 * The rule: anything a client built from the old description may SEND must still be
 * accepted, and anything it may RECEIVE must still be what it expects. Breaking:
 *
 * | kind                       | what |
 * |----------------------------|------|
 * | operation-removed          | an operation (matched by operationId, else method and path) is gone |
 * | operation-moved            | an operationId now has another method or path |
 * | operation-id-changed       | same method and path, another operationId (typed clients name methods after it) |
 * | path-parameter-removed     | a path parameter is gone (or renamed) |
 * | parameter-removed          | a query, header or cookie parameter is gone |
 * | parameter-required         | a new required parameter, or an optional one made required |
 * | request-body-required      | a request body is now required |
 * | request-body-removed       | an operation no longer takes a body |
 * | request-media-type-removed | a request media type is no longer accepted |
 * | request-property-required  | a new required request field, or an optional one made required |
 * | request-property-removed   | a request field is gone (strict servers refuse it; typed code naming it stops compiling) |
 * | response-property-removed  | a response field or property is gone |
 * | response-property-optional | a response field that was always present may now be missing |
 * | response-body-removed      | a response that had a body has none |
 * | response-media-type-removed| a response media type is no longer sent |
 * | success-status-changed     | the set of 2xx statuses of an operation changed |
 * | type-changed               | a request value no longer accepts a type it accepted, or a response value may have a type it did not have |
 * | enum-narrowed              | an enum lost a value (request or response side: on the request side clients send it; on the response side code names it, and the toolkit's types are generated from the description), or a free request value is now restricted to an enum |
 * | enum-widened               | a response enum gained a value (clients that switch on it meet a value they do not know) |
 * | variant-removed            | a request oneOf/anyOf lost an alternative |
 * | variant-added              | a response oneOf/anyOf gained an alternative |
 *
 * Compatible (listed, never fatal): new operations, new optional parameters, new optional
 * request fields, new response fields, a request enum that gained a value, a response value
 * newly restricted to an enum, a request type widened or a response type narrowed, a request
 * field no longer required, a response field now always present, removed error statuses.
 *
 * Not analysed: constraints other than type and enum (lengths, ranges, patterns, formats),
 * `if`/`then`/`else` and `not`, response headers, security requirements, servers, examples
 * and descriptions.
 *
 * Breaking changes are allowed only when the major part of `info.version` is raised.
 */

/** HTTP methods an OpenAPI path item may hold. */
export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** Change kinds that break clients (see the table above). */
export const BREAKING_KINDS = [
  "operation-removed",
  "operation-moved",
  "operation-id-changed",
  "path-parameter-removed",
  "parameter-removed",
  "parameter-required",
  "request-body-required",
  "request-body-removed",
  "request-media-type-removed",
  "request-property-required",
  "request-property-removed",
  "response-property-removed",
  "response-property-optional",
  "response-body-removed",
  "response-media-type-removed",
  "success-status-changed",
  "type-changed",
  "enum-narrowed",
  "enum-widened",
  "variant-removed",
  "variant-added",
];

const MAX_DEPTH = 64;

/** Parses `MAJOR.MINOR.PATCH[-pre][+build]`; null when it is not semver. */
export function parseVersion(text) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(String(text ?? "").trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? "" };
}

/** Orders two semver strings (prereleases before their release); throws on non-semver. */
export function compareVersions(a, b) {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) throw new Error(`not a semver version: ${!x ? a : b}`);
  for (const k of ["major", "minor", "patch"]) if (x[k] !== y[k]) return x[k] - y[k];
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return x.pre < y.pre ? -1 : 1;
}

// ---------------------------------------------------------------------------------------
// $ref resolution and allOf flattening

function pointerGet(doc, ref) {
  if (typeof ref !== "string" || !ref.startsWith("#")) throw new Error(`only internal $refs are supported (bundle first): ${ref}`);
  let node = doc;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (node == null || typeof node !== "object" || !(key in node)) throw new Error(`unresolved $ref ${ref}`);
    node = node[key];
  }
  return node;
}

/** Follows `$ref` (keeping 3.1 sibling keywords, which win over the target's). */
function deref(node, doc, depth = 0) {
  if (!node || typeof node !== "object" || typeof node.$ref !== "string") return node;
  if (depth > MAX_DEPTH) throw new Error(`$ref chain too deep at ${node.$ref}`);
  const { $ref, ...siblings } = node;
  const target = deref(pointerGet(doc, $ref), doc, depth + 1);
  if (Object.keys(siblings).length === 0) return target;
  return mergeSchemas({ ...siblings }, target);
}

/** Merges `src` into `target` as allOf would: properties, required, type and enum combine; other keywords of target win. */
function mergeSchemas(target, src) {
  if (!src || typeof src !== "object") return target;
  for (const [key, value] of Object.entries(src)) {
    if (key === "properties") {
      const props = { ...(target.properties ?? {}) };
      for (const [name, schema] of Object.entries(value)) props[name] = name in props ? { allOf: [props[name], schema] } : schema;
      target.properties = props;
    } else if (key === "required") {
      target.required = [...new Set([...(target.required ?? []), ...value])];
    } else if (key === "type" && "type" in target) {
      const a = asArray(target.type);
      const b = asArray(value);
      const both = a.filter((t) => b.includes(t) || (t === "integer" && b.includes("number")));
      for (const t of b) if (t === "integer" && a.includes("number") && !both.includes(t)) both.push(t);
      target.type = both;
    } else if (key === "enum" && "enum" in target) {
      const keys = new Set(value.map(key_));
      target.enum = target.enum.filter((v) => keys.has(key_(v)));
    } else if (key === "items" && "items" in target) {
      target.items = { allOf: [target.items, value] };
    } else if (!(key in target)) {
      target[key] = value;
    }
  }
  return target;
}

/**
 * `oneOf: [E, {type: "null"}]`, E an enum, admits what E admits and null: the same as E with
 * `null` added to its type and enum (the form generators need for nullable enums), so it
 * compares as that.
 */
function foldNullable(s, doc, depth) {
  if (!Array.isArray(s.oneOf) || s.oneOf.length !== 2) return s;
  const isNull = (part) => {
    const d = deref(part, doc);
    return Boolean(d) && d.type === "null" && Object.keys(d).filter((k) => k !== "description").length === 1;
  };
  const at = s.oneOf.findIndex(isNull);
  if (at < 0) return s;
  const other = effective(s.oneOf[1 - at], doc, depth + 1);
  // Only enums: other nullable alternatives keep comparing as variants.
  if (!other || typeof other !== "object" || other.oneOf || other.anyOf || other.type === undefined || !Array.isArray(other.enum)) return s;
  const { oneOf: _oneOf, ...own } = s;
  const out = { ...other, ...own };
  out.type = [...new Set([...asArray(other.type), "null"])];
  out.enum = [...other.enum, null];
  return out;
}

/** The schema with `$ref` followed and `allOf` folded in. */
function effective(schema, doc, depth = 0) {
  if (depth > MAX_DEPTH) throw new Error("allOf/$ref nesting too deep");
  const found = deref(schema, doc);
  if (!found || typeof found !== "object") return found ?? {};
  const s = foldNullable(found, doc, depth);
  if (!Array.isArray(s.allOf)) return s;
  const { allOf, ...own } = s;
  const out = { ...own };
  for (const part of allOf) mergeSchemas(out, effective(part, doc, depth + 1));
  return out;
}

const asArray = (v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const key_ = (v) => JSON.stringify(v);
const typeOfValue = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

/** The JSON types a schema admits, or null when it does not say. */
function typeSet(s) {
  let types = null;
  if (s.type !== undefined) types = new Set(asArray(s.type));
  else if ("const" in s) types = new Set([typeOfValue(s.const)]);
  else if (Array.isArray(s.enum)) types = new Set(s.enum.map(typeOfValue));
  else if (s.properties) types = new Set(["object"]);
  else if (s.items) types = new Set(["array"]);
  if (types && s.nullable === true) types.add("null");
  return types;
}

const covers = (set, t) => set.has(t) || (t === "integer" && set.has("number"));
const fmtTypes = (set) => [...set].sort().join(" | ");
const fmtValues = (values) => values.map((v) => JSON.stringify(v)).join(", ");

function enumOf(s) {
  if (Array.isArray(s.enum)) return s.enum;
  if ("const" in s) return [s.const];
  return null;
}

// ---------------------------------------------------------------------------------------
// Schema comparison

/**
 * Compares two schemas in one direction ("request": what clients send; "response": what
 * they receive), reporting through `ctx.report(kind, location, message, breaking)`.
 */
function compareSchemas(ctx, dir, base, head, loc, depth = 0) {
  if (depth > MAX_DEPTH || base == null || head == null) return;
  if (typeof base.$ref === "string" && typeof head.$ref === "string") {
    const pair = `${dir}:${base.$ref}=>${head.$ref}`;
    if (ctx.seen.has(pair)) return;
    ctx.seen.add(pair);
  }
  const b = effective(base, ctx.base);
  const h = effective(head, ctx.head);
  if (b === true || h === true || b === false || h === false) return;

  // Types
  const bt = typeSet(b);
  const ht = typeSet(h);
  if (bt && ht) {
    const lost = [...bt].filter((t) => !covers(ht, t)); // request values no longer accepted
    const gained = [...ht].filter((t) => !covers(bt, t)); // response values clients never expected
    const breaks = dir === "request" ? lost.length > 0 : gained.length > 0;
    if (breaks) {
      ctx.report("type-changed", loc, `type changed from ${fmtTypes(bt)} to ${fmtTypes(ht)}`, true);
    } else if (lost.length || gained.length) {
      ctx.report(
        "type-changed",
        loc,
        `type changed from ${fmtTypes(bt)} to ${fmtTypes(ht)} (${dir === "request" ? "widened" : "narrowed"}; compatible)`,
        false,
      );
    }
  } else if (!bt && ht && dir === "request") {
    ctx.report("type-changed", loc, `type now restricted to ${fmtTypes(ht)}`, true);
  } else if (bt && !ht && dir === "response") {
    ctx.report("type-changed", loc, `type no longer stated (was ${fmtTypes(bt)})`, true);
  }

  // Enums
  const be = enumOf(b);
  const he = enumOf(h);
  if (be && he) {
    const headKeys = new Set(he.map(key_));
    const baseKeys = new Set(be.map(key_));
    const removed = be.filter((v) => !headKeys.has(key_(v)));
    const added = he.filter((v) => !baseKeys.has(key_(v)));
    if (removed.length) {
      ctx.report(
        "enum-narrowed",
        loc,
        `enum value${removed.length > 1 ? "s" : ""} ${fmtValues(removed)} removed (narrowed ${dir} enum)`,
        true,
      );
    }
    if (added.length) {
      const breaks = dir === "response";
      ctx.report(
        "enum-widened",
        loc,
        `enum value${added.length > 1 ? "s" : ""} ${fmtValues(added)} added (widened ${dir} enum${breaks ? ": clients may receive a value they do not know" : "; compatible"})`,
        breaks,
      );
    }
  } else if (!be && he) {
    const breaks = dir === "request";
    ctx.report(
      "enum-narrowed",
      loc,
      `values now restricted to the enum ${fmtValues(he)}${breaks ? "" : " (response side; compatible)"}`,
      breaks,
    );
  } else if (be && !he && dir === "response") {
    ctx.report("enum-widened", loc, `enum ${fmtValues(be)} removed: any value may now be received`, true);
  }

  // Object properties
  const bp = b.properties ?? {};
  const hp = h.properties ?? {};
  const breq = new Set(asArray(b.required));
  const hreq = new Set(asArray(h.required));
  const skip = (s, doc) => {
    const e = effective(s, doc);
    return dir === "request" ? e?.readOnly === true : e?.writeOnly === true;
  };
  for (const [name, schema] of Object.entries(bp)) {
    if (skip(schema, ctx.base)) continue;
    const at = [...loc, { prop: name }];
    if (!(name in hp)) {
      if (dir === "response") ctx.report("response-property-removed", at, "response property removed", true);
      else ctx.report("request-property-removed", at, "request property removed (clients built from the old description send it)", true);
      continue;
    }
    if (dir === "response" && breq.has(name) && !hreq.has(name)) {
      ctx.report("response-property-optional", at, "response property no longer required (clients expect it always present)", true);
    }
    if (dir === "request" && !breq.has(name) && hreq.has(name)) {
      ctx.report("request-property-required", at, "request property became required", true);
    }
    if (dir === "request" && breq.has(name) && !hreq.has(name)) {
      ctx.report("request-property-optional", at, "request property no longer required (compatible)", false);
    }
    compareSchemas(ctx, dir, schema, hp[name], at, depth + 1);
  }
  for (const [name, schema] of Object.entries(hp)) {
    if (name in bp || skip(schema, ctx.head)) continue;
    const at = [...loc, { prop: name }];
    if (dir === "request") {
      if (hreq.has(name)) ctx.report("request-property-required", at, "new required request property", true);
      else ctx.report("request-property-added", at, "new optional request property (compatible)", false);
    } else {
      ctx.report("response-property-added", at, "new response property (compatible)", false);
    }
  }
  if (dir === "request") {
    // Required names with no property schema on either side.
    for (const name of hreq) {
      if (!breq.has(name) && !(name in hp) && !(name in bp)) {
        ctx.report("request-property-required", [...loc, { prop: name }], "new required request property", true);
      }
    }
  }

  // Arrays and maps
  if (b.items && h.items && typeof b.items === "object" && typeof h.items === "object") {
    compareSchemas(ctx, dir, b.items, h.items, [...loc, { items: true }], depth + 1);
  }
  if (
    b.additionalProperties &&
    h.additionalProperties &&
    typeof b.additionalProperties === "object" &&
    typeof h.additionalProperties === "object"
  ) {
    compareSchemas(ctx, dir, b.additionalProperties, h.additionalProperties, [...loc, { map: true }], depth + 1);
  }

  // Alternatives
  for (const keyword of ["oneOf", "anyOf"]) {
    const bv = Array.isArray(b[keyword]) ? b[keyword] : null;
    const hv = Array.isArray(h[keyword]) ? h[keyword] : null;
    if (!bv && !hv) continue;
    compareVariants(ctx, dir, keyword, bv ?? [base], hv ?? [head], loc, depth, !bv || !hv);
  }
}

function variantSignature(schema, doc) {
  const s = effective(schema, doc);
  const types = typeSet(s ?? {});
  return { ref: typeof schema?.$ref === "string" ? schema.$ref : null, title: s?.title ?? null, types: types ? fmtTypes(types) : null };
}

function compareVariants(ctx, dir, keyword, bv, hv, loc, depth, collapsed) {
  const hs = hv.map((s) => variantSignature(s, ctx.head));
  const used = new Set();
  const pick = (pred) => {
    const i = hs.findIndex((sig, j) => !used.has(j) && pred(sig, j));
    if (i >= 0) used.add(i);
    return i;
  };
  bv.forEach((schema, i) => {
    const sig = variantSignature(schema, ctx.base);
    let j = sig.ref ? pick((s) => s.ref === sig.ref) : -1;
    if (j < 0 && sig.title) j = pick((s) => s.title === sig.title);
    if (j < 0 && sig.types) j = pick((s) => s.types === sig.types);
    if (j < 0 && !used.has(i) && i < hv.length) j = pick((_, k) => k === i);
    const at = [...loc, { variant: `${keyword} #${i + 1}` }];
    if (j < 0) {
      ctx.report(
        "variant-removed",
        at,
        `${keyword} alternative #${i + 1} removed${dir === "request" ? "" : " (response side; compatible)"}`,
        dir === "request",
      );
      return;
    }
    if (!collapsed) compareSchemas(ctx, dir, schema, hv[j], at, depth + 1);
  });
  hv.forEach((_, j) => {
    if (used.has(j)) return;
    const at = [...loc, { variant: `${keyword} #${j + 1}` }];
    ctx.report(
      "variant-added",
      at,
      `${keyword} alternative #${j + 1} added${dir === "response" ? ": clients may receive a shape they do not know" : " (request side; compatible)"}`,
      dir === "response",
    );
  });
}

// ---------------------------------------------------------------------------------------
// Operations

function listOperations(doc) {
  const ops = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = deref(rawItem, doc) ?? {};
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      ops.push({ method, path, op, item, id: op.operationId ?? null, shape: path.replace(/\{[^}]+\}/g, "{}") });
    }
  }
  return ops;
}

function parametersOf(entry, doc) {
  const params = new Map();
  for (const raw of [...(entry.item.parameters ?? []), ...(entry.op.parameters ?? [])]) {
    const p = deref(raw, doc);
    if (!p?.name || !p.in) continue;
    params.set(`${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`, p);
  }
  return params;
}

const isSuccess = (status) => /^2(\d\d|XX)$/i.test(status);

function mediaTypes(content) {
  return content && typeof content === "object" ? Object.keys(content) : [];
}

function compareOperation(ctx, b, h) {
  const { base, head } = ctx;

  // Parameters
  const bp = parametersOf(b, base);
  const hp = parametersOf(h, head);
  for (const [key, p] of bp) {
    const q = hp.get(key);
    const where = [{ text: `${p.in} parameter ${p.name}` }];
    if (!q) {
      if (p.in === "path") ctx.report("path-parameter-removed", where, "path parameter removed", true);
      else ctx.report("parameter-removed", where, `${p.in} parameter removed (clients built from the old description send it)`, true);
      continue;
    }
    if (!p.required && q.required) ctx.report("parameter-required", where, `${p.in} parameter became required`, true);
    if (p.schema && q.schema) compareSchemas(ctx, "request", p.schema, q.schema, where);
  }
  for (const [key, q] of hp) {
    if (bp.has(key)) continue;
    const where = [{ text: `${q.in} parameter ${q.name}` }];
    if (q.required || q.in === "path") ctx.report("parameter-required", where, `new required ${q.in} parameter`, true);
    else ctx.report("parameter-added", where, `new optional ${q.in} parameter (compatible)`, false);
  }

  // Request body
  const bb = deref(b.op.requestBody, base);
  const hb = deref(h.op.requestBody, head);
  if (bb && !hb) {
    ctx.report(
      "request-body-removed",
      [{ text: "request body" }],
      "request body removed (clients built from the old description send one)",
      true,
    );
  } else if (!bb && hb) {
    if (hb.required) ctx.report("request-body-required", [{ text: "request body" }], "new required request body", true);
    else ctx.report("request-body-added", [{ text: "request body" }], "new optional request body (compatible)", false);
  } else if (bb && hb) {
    if (!bb.required && hb.required) ctx.report("request-body-required", [{ text: "request body" }], "request body became required", true);
    for (const type of mediaTypes(bb.content)) {
      const where = [{ text: `request body (${type})` }, { root: "body" }];
      const target = hb.content?.[type];
      if (!target) {
        ctx.report("request-media-type-removed", [{ text: "request body" }], `request media type ${type} no longer accepted`, true);
        continue;
      }
      if (bb.content[type]?.schema && target.schema) compareSchemas(ctx, "request", bb.content[type].schema, target.schema, where);
    }
  }

  // Responses
  const br = b.op.responses ?? {};
  const hr = h.op.responses ?? {};
  const bs = Object.keys(br).filter(isSuccess).sort();
  const hs = Object.keys(hr).filter(isSuccess).sort();
  if (bs.join(",") !== hs.join(",")) {
    ctx.report(
      "success-status-changed",
      [{ text: "responses" }],
      `success status changed from ${bs.join(", ") || "none"} to ${hs.join(", ") || "none"}`,
      true,
    );
  }
  for (const status of Object.keys(br)) {
    if (!(status in hr)) continue; // a removed success status is reported above; removed error statuses are compatible
    const bresp = deref(br[status], base) ?? {};
    const hresp = deref(hr[status], head) ?? {};
    const bTypes = mediaTypes(bresp.content);
    const hTypes = mediaTypes(hresp.content);
    if (bTypes.length && !hTypes.length) {
      ctx.report("response-body-removed", [{ text: `response ${status}` }], "response body removed", true);
      continue;
    }
    for (const type of bTypes) {
      const where = [{ text: `response ${status} (${type})` }, { root: "body" }];
      const target = hresp.content[type];
      if (!target) {
        ctx.report("response-media-type-removed", [{ text: `response ${status}` }], `response media type ${type} no longer sent`, true);
        continue;
      }
      if (bresp.content[type]?.schema && target.schema) compareSchemas(ctx, "response", bresp.content[type].schema, target.schema, where);
    }
  }
}

/** Formats a location (a list of segments) as text: `response 200 (application/json) body[].Status`. */
export function formatLocation(loc) {
  let out = "";
  for (const seg of loc) {
    if (seg.text) out += (out ? " " : "") + seg.text;
    else if (seg.root) out += (out ? " " : "") + seg.root;
    else if (seg.prop !== undefined) out += `.${seg.prop}`;
    else if (seg.items) out += "[]";
    else if (seg.map) out += "{*}";
    else if (seg.variant) out += `<${seg.variant}>`;
  }
  return out;
}

/**
 * Compares two bundled OpenAPI descriptions.
 * @returns the versions, whether the major part was raised, every change, the breaking ones, and `ok`.
 */
export function compareDescriptions(base, head) {
  if (!base || typeof base !== "object" || !base.paths) throw new Error("the base description has no paths");
  if (!head || typeof head !== "object" || !head.paths) throw new Error("the head description has no paths");
  const baseVersion = String(base.info?.version ?? "");
  const headVersion = String(head.info?.version ?? "");
  const bv = parseVersion(baseVersion);
  const hv = parseVersion(headVersion);
  if (!bv) throw new Error(`the base description's info.version is not semver: ${JSON.stringify(baseVersion)}`);
  if (!hv) throw new Error(`the head description's info.version is not semver: ${JSON.stringify(headVersion)}`);

  const changes = [];
  const baseOps = listOperations(base);
  const headOps = listOperations(head);
  const matched = new Set();

  const makeCtx = (entry) => ({
    base,
    head,
    seen: new Set(),
    report(kind, loc, message, breaking) {
      changes.push({
        kind,
        breaking,
        operation: entry.id ?? `${entry.method.toUpperCase()} ${entry.path}`,
        method: entry.method.toUpperCase(),
        path: entry.path,
        location: formatLocation(loc),
        message,
      });
    },
  });

  for (const b of baseOps) {
    const ctx = makeCtx(b);
    let h = b.id ? headOps.find((o) => !matched.has(o) && o.id === b.id) : undefined;
    if (!h) h = headOps.find((o) => !matched.has(o) && o.method === b.method && o.shape === b.shape);
    if (!h) {
      ctx.report("operation-removed", [{ text: "operation" }], "operation removed", true);
      continue;
    }
    matched.add(h);
    if (b.id && h.id !== b.id) {
      ctx.report("operation-id-changed", [{ text: "operationId" }], `operationId changed from ${b.id} to ${h.id ?? "(none)"}`, true);
    }
    if (h.method !== b.method || h.shape !== b.shape) {
      ctx.report(
        "operation-moved",
        [{ text: "operation" }],
        `moved from ${b.method.toUpperCase()} ${b.path} to ${h.method.toUpperCase()} ${h.path}`,
        true,
      );
    }
    compareOperation(ctx, b, h);
  }
  for (const h of headOps) {
    if (matched.has(h)) continue;
    makeCtx(h).report("operation-added", [{ text: "operation" }], "new operation (compatible)", false);
  }

  const breaking = changes.filter((c) => c.breaking);
  const majorRaised = hv.major > bv.major;
  return {
    baseVersion,
    headVersion,
    majorRaised,
    changes,
    breaking,
    compatible: changes.filter((c) => !c.breaking),
    ok: breaking.length === 0 || majorRaised,
  };
}

function line(change) {
  const where = change.location ? `, ${change.location}` : "";
  return `${change.operation} (${change.method} ${change.path})${where}: ${change.message}`;
}

/** A human-readable report; `labels` name the two files. */
export function formatReport(result, labels = {}) {
  const base = labels.base ?? "the last release";
  const head = labels.head ?? "the working description";
  const out = [`Breaking-change gate: ${head} (info.version ${result.headVersion}) against ${base} (info.version ${result.baseVersion})`];
  if (result.breaking.length) {
    out.push("", `${result.breaking.length} breaking change${result.breaking.length === 1 ? "" : "s"} for clients:`);
    for (const c of result.breaking) out.push(`  ✗ [${c.kind}] ${line(c)}`);
  }
  if (result.compatible.length) {
    out.push("", `${result.compatible.length} compatible change${result.compatible.length === 1 ? "" : "s"}:`);
    for (const c of result.compatible) out.push(`  ✓ [${c.kind}] ${line(c)}`);
  }
  if (!result.changes.length) out.push("", "No changes to operations, parameters, bodies or responses.");
  out.push("");
  if (!result.breaking.length) {
    out.push("OK: no breaking changes.");
  } else if (result.majorRaised) {
    out.push(`OK: breaking changes allowed, the major version was raised (${result.baseVersion} → ${result.headVersion}).`);
  } else {
    const next = `${parseVersion(result.baseVersion).major + 1}.0.0`;
    out.push(
      `FAILED: ${result.breaking.length} breaking change${result.breaking.length === 1 ? "" : "s"} without a major version bump.`,
      `Undo ${result.breaking.length === 1 ? "it" : "them"}, or release a new major version: a "major" changeset for @cloud-backup/spec`,
      `(info.version ${result.baseVersion} → ${next}; \`npm run version-packages\` writes it into openapi/openapi.yaml).`,
    );
  }
  return out.join("\n");
}
