// The "Try it" console (tryit.html): each operation's request is answered by the reference
// server's simulation running in this page. Bundled with @cloud-backup/server by esbuild
// (scripts/tryit.mjs) into assets/tryit.js. Nothing leaves the page: requests go straight to
// the in-page app's `fetch`, never to the network and never through a service worker, so the
// console also works from file://.
import { createServer, encryptPassphrase } from "@cloud-backup/server";
import { document as description } from "@cloud-backup/spec";

/** Shown as the request's host: where a real client would send it (a region's endpoint). */
const SHOWN_ORIGIN = "https://dfw.backup.api.rackspacecloud.com";
const STATUS_TEXT = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

// ------------------------------------------------------------------------------ the simulation

let app;
/** Ids that exist in the world, used to fill in requests; requests that create something update them. */
let ids;

/** The demo world's account and the ids the forms start with, read through the API itself. */
async function demoIds() {
  const found = {
    tenant_id: "1234",
    token: "demo-token",
    machineAgentId: 202743,
    otherAgentId: 213564,
    encryptedAgentId: 95874,
    created: 0,
  };
  const get = async (path) => {
    const res = await call("GET", `/v1.0/${found.tenant_id}${path}`, { "X-Auth-Token": found.token });
    return res.status === 200 ? res.json() : undefined;
  };
  const agents = (await get("/user/agents")) ?? [];
  found.windows = Object.fromEntries(agents.map((a) => [a.MachineAgentId, /windows/i.test(a.OperatingSystem ?? "")]));
  const agent = await get(`/agent/${found.machineAgentId}`);
  found.hostServerId = agent?.HostServerId;
  const configs = (await get(`/backup-configuration/system/${found.machineAgentId}`)) ?? [];
  found.backupConfigurationId = configs[0]?.BackupConfigurationId;
  const backups = found.backupConfigurationId ? ((await get(`/backup/completed/${found.backupConfigurationId}`)) ?? []) : [];
  found.backupId = backups[0]?.BackupId;
  found.backupAgentId = found.machineAgentId;
  const activity = (await get("/activity")) ?? [];
  found.restoreId = activity.find((a) => a.Type === "Restore")?.ID;
  return found;
}

async function start() {
  app = createServer({ clock: { speed: 0 } });
  ids = await demoIds();
  showTime();
}

/** One request to the in-page app. */
function call(method, path, headers = {}, body) {
  const init = { method, headers };
  if (body !== undefined && method !== "GET" && method !== "HEAD") init.body = body;
  return Promise.resolve(app.fetch(new Request(`${SHOWN_ORIGIN}${path}`, init)));
}

// ------------------------------------------------------------------------------ the description

const resolve = (node) => {
  while (node?.$ref)
    node = node.$ref
      .slice(2)
      .split("/")
      .reduce((acc, key) => acc?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], description);
  return node;
};

function operation(id) {
  for (const [path, item] of Object.entries(description.paths)) {
    for (const method of ["get", "put", "post", "delete", "patch"]) {
      const op = item[method];
      if (op?.operationId !== id) continue;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve).filter((p) => p.in === "path");
      const media = op.requestBody ? resolve(op.requestBody).content?.["application/json"] : undefined;
      const examples = media?.examples
        ? Object.entries(media.examples).map(([name, ex]) => ({ name, summary: resolve(ex).summary ?? name, value: resolve(ex).value }))
        : [];
      if (!examples.length && media?.example !== undefined) examples.push({ name: "example", summary: "Example", value: media.example });
      return {
        id,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? id,
        parameters,
        hasBody: Boolean(media),
        examples,
        tag: op.tags?.[0] ?? "",
      };
    }
  }
  return undefined;
}

// ------------------------------------------------------------------------------ filling in

/** A path parameter's value from the world, else its example. */
function paramValue(op, p) {
  const fromIds = {
    tenant_id: ids.tenant_id,
    machineAgentId: ids.machineAgentId,
    agentId: ids.machineAgentId,
    hostServerId: ids.hostServerId,
    backupConfigurationId: ids.backupConfigurationId,
    backupId: ids.backupId,
    restoreId: op.id === "deleteRestoreFile" ? ids.restoreFileId : ids.restoreId,
  }[p.name];
  return String(fromIds ?? p.example ?? p.schema?.example ?? "");
}

/** The example body with the ids of this world in place of the description's. */
function fillBody(op, example) {
  if (!example || typeof example !== "object" || Array.isArray(example)) return example;
  const value = { ...example };
  const set = (key, v) => {
    if (key in value && v !== undefined) value[key] = v;
  };
  const agent = op.id === "changeEncryptionPassword" ? ids.encryptedAgentId : ids.machineAgentId;
  set("MachineAgentId", agent);
  set("SourceMachineAgentId", ids.machineAgentId);
  set("DestinationMachineAgentId", ids.otherAgentId);
  set("BackupConfigurationId", ids.backupConfigurationId);
  set("BackupId", ids.backupId);
  set("BackupMachineId", ids.backupAgentId);
  set("DestinationMachineId", ids.backupAgentId);
  set("RestoreId", ids.restoreId);
  set("ParentId", ids.restoreId);
  // The description's configuration examples are Windows paths; a Linux agent needs its own.
  if (!ids.windows[agent] && Array.isArray(value.Inclusions)) {
    value.Inclusions = [{ FilePath: "/var/www/html", FileItemType: "Folder" }];
    if (Array.isArray(value.Exclusions)) value.Exclusions = [{ FilePath: "/var/www/html/uploads", FileItemType: "Folder" }];
  }
  // Names are unique per agent: each fill proposes a new one.
  if (op.id === "createBackupConfiguration" && typeof value.BackupConfigurationName === "string")
    value.BackupConfigurationName = `${value.BackupConfigurationName} (console ${++ids.created})`;
  if ("DestinationPath" in value) value.DestinationPath = ids.windows[ids.backupAgentId] ? "C:\\Restored" : "/var/restored";
  if (op.id === "addRestoreFile" && !ids.windows[ids.backupAgentId]) value.FilePath = "/var/www/html";
  if (op.id === "requestBackupAction") set("Id", value.Action === "StopManual" ? ids.backupId : ids.backupConfigurationId);
  if (op.id === "requestRestoreAction") set("Id", ids.restoreId);
  return value;
}

/** The passphrase the console proposes for encryption (the demo world's encrypted agent has `demo-passphrase`). */
const NEW_PASSPHRASE = "my-new-passphrase";

/**
 * What the world knows and an example cannot: an update starts from the configuration as it
 * is (with its schedule id), and passphrases are encrypted with the agent's own public key.
 */
async function fromWorld(op, value) {
  if (!value || typeof value !== "object") return value;
  const get = async (path) => {
    const res = await call("GET", `/v1.0/${ids.tenant_id}${path}`, { "X-Auth-Token": ids.token });
    return res.status === 200 ? res.json() : undefined;
  };
  if (op.id === "updateBackupConfiguration" && ids.backupConfigurationId) {
    const config = await get(`/backup-configuration/${ids.backupConfigurationId}`);
    if (config) {
      for (const key of Object.keys(value)) if (key in config) value[key] = config[key];
      for (const list of ["Inclusions", "Exclusions"]) {
        if (Array.isArray(value[list])) value[list] = value[list].map(({ FilePath, FileItemType }) => ({ FilePath, FileItemType }));
      }
    }
  }
  if (op.id === "enableVolumeEncryption" || op.id === "changeEncryptionPassword") {
    const agent = await get(`/agent/${value.MachineAgentId}`);
    if (agent?.PublicKey) {
      if ("EncryptedPasswordHex" in value) value.EncryptedPasswordHex = encryptPassphrase(agent.PublicKey, NEW_PASSPHRASE);
      if ("OldEncryptedPasswordHex" in value) value.OldEncryptedPasswordHex = encryptPassphrase(agent.PublicKey, "demo-passphrase");
      if ("NewEncryptedPasswordHex" in value) value.NewEncryptedPasswordHex = encryptPassphrase(agent.PublicKey, NEW_PASSPHRASE);
    }
  }
  return value;
}

/** Requests that create something: remember what they made, for the next forms. */
function learn(op, request, status, body) {
  if (status !== 200 || body === undefined) return;
  if (op.id === "createBackupConfiguration" && body.BackupConfigurationId) {
    ids.backupConfigurationId = body.BackupConfigurationId;
    ids.machineAgentId = body.MachineAgentId ?? ids.machineAgentId;
  } else if (op.id === "requestBackupAction" && typeof body === "number" && request?.Action === "StartManual") {
    ids.backupId = body;
    ids.backupAgentId = ids.machineAgentId;
  } else if (op.id === "createRestore" && body.RestoreId) {
    ids.restoreId = body.RestoreId;
  } else if (op.id === "listRestoreFiles" && Array.isArray(body) && body[0]?.FileId) {
    ids.restoreFileId = body[0].FileId;
  }
}

// ------------------------------------------------------------------------------ the page

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
};

function showTime() {
  const output = document.getElementById("tryit-now");
  if (output)
    output.textContent = `${new Date(app.clock.now())
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, " UTC")}`;
}

const consoles = new Map();

/** Builds the console of one operation inside its (empty) container. */
function buildConsole(container, op) {
  const prefix = `${op.id}-`;
  const form = el("form", { class: "tryit-form", novalidate: true, "aria-label": `Request: ${op.summary}` });
  const fields = [];
  const paramsBox = el("fieldset", { class: "tryit-params" }, el("legend", { text: "Path parameters" }));
  for (const p of op.parameters) {
    const input = el("input", { id: `${prefix}param-${p.name}`, name: p.name, type: "text", autocomplete: "off", spellcheck: "false" });
    paramsBox.append(el("div", { class: "tryit-field" }, el("label", { for: input.id, text: p.name }), input));
    fields.push({ kind: "param", p, input });
  }
  if (op.parameters.length) form.append(paramsBox);
  const token = el("input", { id: `${prefix}token`, name: "X-Auth-Token", type: "text", autocomplete: "off", spellcheck: "false" });
  const prefer = el("input", {
    id: `${prefix}prefer`,
    name: "Prefer",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "code=503, example=…, latency=250",
    "aria-describedby": `${prefix}prefer-hint`,
  });
  form.append(
    el(
      "fieldset",
      { class: "tryit-headers" },
      el("legend", { text: "Headers" }),
      el("div", { class: "tryit-field" }, el("label", { for: token.id, text: "X-Auth-Token" }), token),
      el("div", { class: "tryit-field" }, el("label", { for: prefer.id, text: "Prefer (optional)" }), prefer),
      el("p", {
        id: `${prefix}prefer-hint`,
        class: "tryit-hint",
        text: "Provoke a fault: code=503 (a documented error status), example=NAME (a named example), latency=MS.",
      }),
    ),
  );
  let body;
  let example;
  if (op.hasBody) {
    if (op.examples.length > 1) {
      example = el("select", { id: `${prefix}example` });
      op.examples.forEach((ex, i) => example.append(el("option", { value: String(i), text: ex.summary })));
      form.append(el("div", { class: "tryit-field" }, el("label", { for: example.id, text: "Example" }), example));
    }
    body = el("textarea", { id: `${prefix}body`, name: "body", rows: "10", spellcheck: "false", autocomplete: "off" });
    form.append(el("div", { class: "tryit-field tryit-body" }, el("label", { for: body.id, text: "Request body (JSON)" }), body));
  }
  const send = el("button", { type: "submit", class: "tryit-send", text: "Send" });
  const refill = el("button", { type: "button", class: "tryit-refill", text: "Fill in again" });
  form.append(el("div", { class: "tryit-actions" }, send, refill));
  const response = el("section", { class: "tryit-response", "aria-label": "Response", id: `${prefix}response` });
  response.append(el("p", { class: "tryit-empty", text: "Send the request to see the answer here." }));
  container.append(form, response);

  /** Fills the body from the chosen example; Send waits while the world is asked. */
  const fillBodyField = async () => {
    const chosen = op.examples[example ? Number(example.value) : 0];
    send.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      const value = await fromWorld(op, fillBody(op, chosen?.value));
      body.value = value === undefined ? "" : JSON.stringify(value, null, 2);
    } finally {
      form.removeAttribute("aria-busy");
      send.disabled = false;
    }
  };
  const fill = async () => {
    for (const f of fields) f.input.value = paramValue(op, f.p);
    token.value = ids.token;
    if (body) await fillBodyField();
  };
  example?.addEventListener("change", () => void fillBodyField());
  refill.addEventListener("click", () => void fill());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      await sendRequest(op, { fields, token, prefer, body, response });
    } finally {
      send.disabled = false;
    }
  });
  void fill();
  return { fill, response };
}

async function sendRequest(op, { fields, token, prefer, body, response }) {
  let path = op.path;
  for (const f of fields) path = path.replace(`{${f.p.name}}`, encodeURIComponent(f.input.value.trim()));
  const headers = { Accept: "application/json" };
  if (token.value.trim()) headers["X-Auth-Token"] = token.value.trim();
  if (prefer.value.trim()) headers.Prefer = prefer.value.trim();
  let text;
  if (body && body.value.trim() !== "") {
    text = body.value;
    headers["Content-Type"] = "application/json";
  }
  let sent;
  try {
    sent = text === undefined ? undefined : JSON.parse(text);
  } catch {
    sent = undefined;
  }
  const started = performance.now();
  response.replaceChildren();
  const requestLine = el("p", { class: "tryit-request" }, el("code", { text: `${op.method} ${SHOWN_ORIGIN}${path}` }));
  let res;
  try {
    res = await call(op.method, path, headers, text);
  } catch (error) {
    response.append(
      requestLine,
      el("p", {
        class: "tryit-status tryit-error",
        role: "status",
        text: `No answer: ${error instanceof Error ? error.message : String(error)}`,
      }),
    );
    return;
  }
  const elapsed = performance.now() - started;
  const raw = await res.text();
  let shown = raw;
  let parsed;
  const type = res.headers.get("content-type") ?? "";
  if (raw && type.includes("json")) {
    try {
      parsed = JSON.parse(raw);
      shown = JSON.stringify(parsed, null, 2);
    } catch {
      // keep the text
    }
  }
  learn(op, sent, res.status, parsed);
  showTime();
  const headerList = el("dl", { class: "tryit-response-headers" });
  for (const [name, value] of res.headers) headerList.append(el("dt", { text: name }), el("dd", { text: value }));
  response.append(
    requestLine,
    el("p", {
      class: `tryit-status tryit-status-${Math.floor(res.status / 100)}xx`,
      role: "status",
      text: `${`${res.status} ${STATUS_TEXT[res.status] ?? ""}`.trim()} · ${elapsed.toFixed(0)} ms`,
    }),
    el("h4", { text: "Headers" }),
    headerList,
    el("h4", { text: "Body" }),
    raw
      ? el("pre", { class: "tryit-response-body", tabindex: "0", "aria-label": "Response body" }, el("code", { text: shown }))
      : el("p", { class: "tryit-empty", text: "(no body)" }),
  );
}

function toggle(section, open) {
  const button = section.querySelector(".tryit-toggle");
  const container = section.querySelector(".tryit-console");
  const id = section.dataset.operation;
  if (open && !consoles.has(id)) {
    const op = operation(id);
    if (!op) return;
    consoles.set(id, buildConsole(container, op));
  }
  button.setAttribute("aria-expanded", String(open));
  container.hidden = !open;
}

function openFromHash() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const section = id ? document.getElementById(id) : null;
  if (!section?.classList.contains("tryit-op")) return;
  toggle(section, true);
  section.scrollIntoView({ block: "start" });
  section.querySelector(".tryit-toggle").focus({ preventScroll: true });
}

async function main() {
  await start();
  for (const section of document.querySelectorAll(".tryit-op")) {
    const button = section.querySelector(".tryit-toggle");
    button.disabled = false;
    button.addEventListener("click", () => toggle(section, button.getAttribute("aria-expanded") !== "true"));
  }
  for (const button of document.querySelectorAll("[data-advance]")) {
    button.disabled = false;
    button.addEventListener("click", async () => {
      const res = await call(
        "POST",
        "/__admin/clock/advance",
        { "Content-Type": "application/json" },
        JSON.stringify({ seconds: Number(button.dataset.advance) }),
      );
      if (!res.ok) throw new Error(`the clock did not move: ${res.status}`);
      showTime();
    });
  }
  const reset = document.getElementById("tryit-reset");
  reset.disabled = false;
  reset.addEventListener("click", async () => {
    document.documentElement.dataset.tryit = "resetting";
    reset.disabled = true;
    try {
      await start();
      for (const { fill, response } of consoles.values()) {
        await fill();
        response.replaceChildren(el("p", { class: "tryit-empty", text: "The simulation was reset: send the request again." }));
      }
    } finally {
      reset.disabled = false;
      document.documentElement.dataset.tryit = "ready";
    }
  });
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  document.documentElement.dataset.tryit = "ready";
}

main().catch((error) => {
  document.documentElement.dataset.tryit = "failed";
  const output = document.getElementById("tryit-now");
  if (output) output.textContent = `the simulation did not start: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
