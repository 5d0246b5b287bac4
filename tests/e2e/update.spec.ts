import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { appReady, env, swControlling } from "./support";

test.use({ locale: "en-US" });

const dist = () => env("LINLI_E2E_DIST");
const version = () => /const VERSION = "([^"]+)";/.exec(fs.readFileSync(path.join(dist(), "sw.js"), "utf8"))![1];
const finishDist = () => execFileSync(env("LINLI_XTASK_BIN"), ["finish-dist", "--dir", dist()], { stdio: "inherit" });

test("a second build shows the update prompt and takes over only when asked", async ({ page }) => {
  const indexPath = path.join(dist(), "index.html");
  const original = fs.readFileSync(indexPath, "utf8");
  try {
    await page.goto("/");
    await appReady(page);
    await swControlling(page);
    const v1 = version();
    await expect(page.getByTestId("update-prompt")).toHaveCount(0);

    // The second build: different content, so a new worker version.
    fs.writeFileSync(indexPath, original.replace("</head>", '<meta name="linli-build" content="2"></head>'));
    finishDist();
    const v2 = version();
    expect(v2).not.toBe(v1);

    await page.reload();
    await appReady(page);
    await expect(page.getByTestId("update-prompt")).toBeVisible({ timeout: 20_000 });
    // Not taken over silently: the old worker still controls, the new one waits.
    const before = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return { waiting: !!reg?.waiting, caches: await caches.keys() };
    });
    expect(before.waiting).toBeTruthy();
    expect(before.caches).toContain(`linli-shell-${v1}`);

    await Promise.all([page.waitForEvent("load"), page.getByTestId("update-reload").click()]);
    await appReady(page);
    await expect(page.getByTestId("update-prompt")).toHaveCount(0);
    await expect
      .poll(() => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("linli-shell-"))))
      .toEqual([`linli-shell-${v2}`]);
  } finally {
    fs.writeFileSync(indexPath, original);
    finishDist();
  }
});
