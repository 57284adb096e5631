import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Some tests make hundreds of requests or wait on a virtual clock; on a busy 2-core machine they
    // need more than the default 5 s. No test asserts on time.
    testTimeout: 30_000,
  },
});
