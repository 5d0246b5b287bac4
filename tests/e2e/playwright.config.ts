import { defineConfig } from "@playwright/test";
import { chromiumArgs, chromiumPath, env, port } from "./support";

// The suite enrols dozens of phones a minute from one address, so the sign-in limit is raised;
// push.spec plays the push service on this machine over plain http (--push-allow-loopback).
// Run through `cargo xtask test`, which builds the PWA in release, copies it to a scratch dir,
// picks a free port and passes everything below through the environment.
export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts$/,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    hasTouch: true,
    serviceWorkers: "allow",
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
  },
  webServer: {
    command: `${env("LINLI_PLATFORM_BIN")} serve --demo --auth-attempts-per-minute 1000 --push-allow-loopback --addr 127.0.0.1:${port} --dist ${env("LINLI_E2E_DIST")} --db ${env("LINLI_E2E_DB")}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "pipe",
    env: { LINLI_ADMIN_PASSWORD: "e2e-admin-password" },
  },
});
