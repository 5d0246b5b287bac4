import { test, expect } from "@playwright/test";
import * as path from "node:path";
import { LANGS, PAGE_IDS, TAB_IDS, appReady } from "./support";

for (const [tag, lang] of Object.entries(LANGS)) {
  test.describe(`in ${tag}`, () => {
    test.use({ locale: lang.locale });

    test("every tab renders its page, chosen from the browser language", async ({ page }) => {
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      page.on("pageerror", (e) => problems.push(String(e)));
      await page.goto("/");
      await appReady(page);
      await expect(page.locator("html")).toHaveAttribute("lang", tag);
      for (let i = 0; i < TAB_IDS.length; i++) {
        const tab = page.getByTestId(TAB_IDS[i]);
        await expect(tab).toHaveText(lang.tabs[i]);
        await tab.click();
        const pageEl = page.getByTestId(PAGE_IDS[i]);
        await expect(pageEl.getByRole("heading", { level: 1 })).toHaveText(lang.headings[i]);
        await expect(tab).toHaveAttribute("aria-current", "page");
      }
      // Also proves the CSP lets the app run: a blocked script or style would log an error.
      expect(problems).toEqual([]);
    });

    test("an unknown deep link shows the in-app not-found page", async ({ page }) => {
      await page.goto("/no/such/page");
      await expect(page.getByTestId("page-not-found").getByRole("heading")).toHaveText(lang.notFound);
      await expect(page.getByTestId("tab-home")).toBeVisible();
    });
  });
}

test.describe("settings", () => {
  test.use({ locale: "en-US" });

  test("the language switch in More changes the app and is remembered", async ({ page }) => {
    await page.goto("/more");
    await page.getByRole("radio", { name: "简体中文" }).check();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
    await expect(page.getByTestId("tab-rumors")).toHaveText("辟谣");
    await page.reload();
    await appReady(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
    await expect(page.getByTestId("page-more").getByRole("heading", { level: 1 })).toHaveText("更多");
    await expect(page.getByRole("radio", { name: "简体中文" })).toBeChecked();
  });

  test("large text enlarges the type and is remembered", async ({ page }) => {
    await page.goto("/more");
    const size = () => page.evaluate(() => getComputedStyle(document.body).fontSize);
    expect(await size()).toBe("17px");
    await page.getByRole("checkbox", { name: "Large text" }).check();
    await expect(page.locator("html")).toHaveAttribute("data-text", "large");
    expect(await size()).toBe("21px");
    await page.reload();
    await appReady(page);
    expect(await size()).toBe("21px");
  });

  test("going offline shows a quiet indicator, and coming back clears it", async ({ page, context }) => {
    await page.goto("/");
    await appReady(page);
    await expect(page.getByTestId("net-status")).toHaveText("Online");
    await context.setOffline(true);
    await expect(page.getByTestId("net-status")).toHaveText("Offline");
    await expect(page.getByTestId("offline-banner")).toBeVisible();
    await context.setOffline(false);
    await expect(page.getByTestId("net-status")).toHaveText("Online");
    await expect(page.getByTestId("offline-banner")).toHaveCount(0);
  });
});

test.describe("layout", () => {
  test.use({ locale: "zh-TW", viewport: { width: 320, height: 640 } });

  test("controls are at least 44 px and nothing overflows at 320 px with text at 200%", async ({ page }) => {
    await page.goto("/more");
    await appReady(page);
    for (const el of await page.locator(".tab, .btn, .choice").all()) {
      const box = await el.boundingBox();
      expect(box && box.height >= 44 && box.width >= 44, await el.innerText()).toBeTruthy();
    }
    await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
    for (const id of ["/", "/checkin", "/alerts", "/rumors", "/more", "/join"]) {
      await page.goto(id);
      await appReady(page);
      await page.evaluate(() => (document.documentElement.style.fontSize = "200%"));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow on ${id}`).toBeLessThanOrEqual(0);
    }
  });
});

test.describe("screenshot", () => {
  test.use({ locale: "zh-TW", viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });

  test("the phone-size shell screenshot for the README", async ({ page }) => {
    await page.goto("/");
    await appReady(page);
    await expect(page.getByTestId("page-home").getByRole("heading", { level: 1 })).toHaveText("首頁");
    // `cargo xtask test` writes to target/e2e/screens; `cargo xtask screens` to docs/screens.
    const root = process.env.LINLI_ROOT ?? path.resolve(__dirname, "../..");
    const dir = process.env.LINLI_SCREENS_DIR ?? path.join(root, "target/e2e/screens");
    await page.screenshot({ path: path.join(dir, "first-launch.png") });
  });
});

// finish-dist renames the glue and wasm after what ships (xtask/src/split.rs); the glue's own
// way to find its wasm, when it is initialised without a path, must follow that name.
test("the app's module finds its wasm by its own name when started without a path", async ({ page }) => {
  const html = await (await page.request.get("/")).text();
  const glue = html.match(/href="(\/linli-[0-9a-f]{16}\.js)"/)?.[1];
  expect(glue).toBeTruthy();
  // The page's CSP, without the app starting: the loader never runs.
  await page.route(/\/boot-[0-9a-f]+\.js$/, (route) => route.abort());
  await page.goto("/");
  const started = await page.evaluate(async (src) => {
    const glueModule = await import(src);
    const exports = await glueModule.default();
    return exports.memory instanceof WebAssembly.Memory;
  }, glue!);
  expect(started).toBe(true);
});
