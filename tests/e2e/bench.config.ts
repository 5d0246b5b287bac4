import base from "./playwright.config";
import { defineConfig } from "@playwright/test";

// `cargo xtask bench phone`: the same platform and build as the e2e suite, running the
// benchmark files (tests/e2e/bench/*.bench.ts) instead of the tests.
export default defineConfig({
  ...base,
  testDir: "./bench",
  testMatch: /.*\.bench\.ts$/,
  timeout: 600_000,
});
