import { describe, expect, it } from "vitest";
import { document, operations, specHash, specVersion } from "../src/index.js";

describe("operation table", () => {
  it("lists the API surface (sorted METHOD path -> operationId)", () => {
    const lines = operations.map((op) => `${op.method} ${op.path} -> ${op.operationId}`).sort();
    expect(lines).toMatchSnapshot();
  });

  it("has the 33 operations of the reference, each with a unique operationId and a tag", () => {
    expect(operations).toHaveLength(33);
    expect(new Set(operations.map((op) => op.operationId)).size).toBe(33);
    const tags = new Set((document as any).tags.map((t: { name: string }) => t.name));
    for (const op of operations) expect(tags.has(op.tag), op.operationId).toBe(true);
  });

  it("uses camelCase verb-noun operationIds and sentence-case summaries", () => {
    for (const op of operations) {
      expect(op.operationId).toMatch(/^(get|list|create|update|delete|enable|change|migrate|wake|request|add)[A-Z][A-Za-z]+$/);
      expect(op.summary).toMatch(/^[A-Z][^A-Z]*(?:[A-Z]{2,}[^A-Z]*)*$/);
    }
  });

  it("records the spec version and a content hash", () => {
    expect(specVersion).toBe((document as any).info.version);
    expect(specHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("documents 401 on every operation and a problem body on every error", () => {
    const doc = document as any;
    for (const op of operations) {
      const responses = doc.paths[op.path][op.method.toLowerCase()].responses;
      expect(Object.keys(responses), op.operationId).toContain("401");
      for (const [status, res] of Object.entries<any>(responses)) {
        if (Number(status) < 400) continue;
        const ref = res.$ref as string;
        const resolved = ref ? doc.components.responses[ref.split("/").pop()!] : res;
        expect(Object.keys(resolved.content), `${op.operationId} ${status}`).toEqual(["application/problem+json"]);
      }
    }
  });
});
