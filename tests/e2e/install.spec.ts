import { test, expect, chromium } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromiumArgs, chromiumPath, port, swControlling } from "./support";

test("Chrome reports the app installable (no installability errors)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linli-install-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    baseURL: `http://127.0.0.1:${port}`,
  });
  try {
    const page = await context.newPage();
    await page.goto("/");
    await swControlling(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data!);
    expect(parsed.display).toBe("standalone");
    expect(parsed.icons.some((i: { purpose?: string }) => i.purpose === "maskable")).toBeTruthy();
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
