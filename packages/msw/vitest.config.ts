import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The all-operations test sends 462 requests; on a loaded machine that takes a few seconds.
    testTimeout: 30_000,
  },
});
