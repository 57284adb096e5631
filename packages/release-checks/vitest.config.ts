import { defineConfig } from "vitest/config";

// The gate's command-line tests start node processes, and the tarball and generator tests
// install, compile and serve (they set their own, longer, limits): no 5 s default here.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
