import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/codegen.mjs", import.meta.url));

describe("generated files", () => {
  it("match the description (run `npm run codegen` when this fails)", () => {
    let output = "";
    let failed = false;
    try {
      output = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      failed = true;
      output = String((error as { stderr?: string }).stderr ?? error);
    }
    expect(failed ? output : "").toBe("");
  }, 60_000);
});
