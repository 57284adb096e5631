/**
 * Checks that everything the published reference shows is in the description: operations,
 * path parameters, status codes, request and response fields, and example keys.
 *
 * `fixtures/reference-inventory.json` lists those names per operation, as the reference's
 * tables and examples give them. Where the reference has a typo or a body that cannot exist,
 * `departures` maps it to what the description does instead, naming the ERRATA.md entry.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { document } from "../src/index.js";

interface InventoryOperation {
  method: string;
  path: string;
  statuses: number[];
  pathParams: string[];
  requestFields: string[];
  responseFields: string[];
  exampleKeys: string[];
}

const inventory: InventoryOperation[] = JSON.parse(readFileSync(new URL("./fixtures/reference-inventory.json", import.meta.url), "utf8"));

/** Names the reference uses that the description corrects (see openapi/ERRATA.md). */
const departures: Record<string, string | null> = {
  // Typo in the migrate-vault request table.
  DestinationMachineAgentID: "DestinationMachineAgentId",
  // Typo in the list-agent-configurations URI table.
  machingAgentId: "machineAgentId",
};
/** Per-operation departures: the field is answered differently (null: no body carries it). */
const operationDepartures: Record<string, Record<string, string | null>> = {
  // Delete agent answers 204 with no body.
  "POST /v1.0/{tenant_id}/agent/delete": { MachineAgentId: null },
  // Start backup answers the id as a bare JSON number, not an object with Id.
  "POST /v1.0/{tenant_id}/backup/action-requested": { Id: null },
  // Responses spell it BackupDatacenter (lower-case c).
  "POST /v1.0/{tenant_id}/agent/{machineAgentId}": { BackupDataCenter: "BackupDatacenter" },
};

const doc = document as any;

function resolve(node: any): any {
  let current = node;
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const parts = current.$ref
      .replace(/^#\//, "")
      .split("/")
      .map((p: string) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
    current = parts.reduce((acc: any, key: string) => acc?.[key], doc);
  }
  return current;
}

/** Every property name reachable in a schema (through refs, combinators and items). */
function propertyNames(schema: any, seen = new Set<any>()): Set<string> {
  const names = new Set<string>();
  const visit = (node: any) => {
    node = resolve(node);
    if (!node || typeof node !== "object" || seen.has(node)) return;
    seen.add(node);
    for (const [name, child] of Object.entries<any>(node.properties ?? {})) {
      names.add(name);
      visit(child);
    }
    for (const key of ["allOf", "oneOf", "anyOf"]) for (const child of node[key] ?? []) visit(child);
    if (node.items) visit(node.items);
    if (node.then) visit(node.then);
  };
  visit(schema);
  return names;
}

function mediaSchemas(content: any): any[] {
  return Object.values<any>(content ?? {})
    .map((m) => m.schema)
    .filter(Boolean);
}

describe("coverage of the published reference", () => {
  it("reads 33 operations from the inventory", () => {
    expect(inventory).toHaveLength(33);
  });

  for (const ref of inventory) {
    const key = `${ref.method} ${ref.path}`;
    describe(key, () => {
      const op = doc.paths[ref.path]?.[ref.method.toLowerCase()];
      const rename = (name: string) => {
        const local = operationDepartures[key] ?? {};
        if (name in local) return local[name] as string | null;
        return departures[name] ?? name;
      };

      it("exists", () => {
        expect(op, key).toBeDefined();
      });
      if (!op) return;

      it("lists every status code the reference lists", () => {
        const statuses = Object.keys(op.responses).map(Number);
        expect(ref.statuses.filter((s) => !statuses.includes(s))).toEqual([]);
      });

      it("declares every path parameter", () => {
        const params = [...(doc.paths[ref.path].parameters ?? []), ...(op.parameters ?? [])]
          .map(resolve)
          .filter((p: any) => p.in === "path")
          .map((p: any) => p.name);
        const wanted = ref.pathParams.map((p) => rename(p));
        expect(wanted.filter((p) => !params.includes(p))).toEqual([]);
      });

      const requestNames = new Set<string>();
      for (const s of mediaSchemas(op.requestBody?.content)) for (const n of propertyNames(s)) requestNames.add(n);
      const responseNames = new Set<string>();
      for (const [status, res] of Object.entries<any>(op.responses)) {
        if (!status.startsWith("2")) continue;
        for (const s of mediaSchemas(resolve(res).content)) for (const n of propertyNames(s)) responseNames.add(n);
      }
      // The reference documents the list-restore-files answer as a request body.
      const getWithBody = ref.method === "GET" && ref.requestFields.length > 0;

      it("declares every request field", () => {
        const pool = getWithBody ? responseNames : requestNames;
        const renameRequest = (name: string) => (getWithBody ? rename(name) : (departures[name] ?? name));
        const missing = ref.requestFields.map(renameRequest).filter((n): n is string => n !== null && !pool.has(n));
        expect(missing).toEqual([]);
      });

      it("declares every response field", () => {
        const missing = ref.responseFields.map(rename).filter((n): n is string => n !== null && !responseNames.has(n));
        expect(missing).toEqual([]);
      });

      it("declares every key of the reference's examples", () => {
        const missing = ref.exampleKeys.map(rename).filter((n): n is string => n !== null && !requestNames.has(n) && !responseNames.has(n));
        expect(missing).toEqual([]);
      });
    });
  }
});
