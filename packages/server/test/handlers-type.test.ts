import { describe, expect, it } from "vitest";
import type { Handlers } from "../src/index.js";
import { handlers } from "../src/handlers.js";

// These lines are checked by `npm run typecheck` (tsc over src and test): each
// `@ts-expect-error` fails the typecheck if the line it marks stops being an error.
const { listActivity, ...withoutOne } = handlers;
// @ts-expect-error TS2741: a missing handler does not satisfy Handlers.
const missing: Handlers = withoutOne;
// @ts-expect-error TS2561: a misspelled operationId is not a handler name.
const misspelled: Handlers = { ...withoutOne, listActivities: listActivity };

describe("Handlers", () => {
  it("has one handler per operation of the description", async () => {
    const { operations } = await import("@cloud-backup/spec");
    expect(Object.keys(handlers).sort()).toEqual(operations.map((op) => op.operationId).sort());
    expect([missing, misspelled].every((h) => typeof h === "object")).toBe(true);
  });
});
