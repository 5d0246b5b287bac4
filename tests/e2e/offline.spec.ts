import { test, expect } from "@playwright/test";
import { appReady, swControlling } from "./support";

test.use({ locale: "zh-TW" });

test("with the service worker active, the app reloads and deep-links offline", async ({ page, context }) => {
  await page.goto("/");
  await appReady(page);
  await swControlling(page);

  await context.setOffline(true);
  await page.reload();
  await appReady(page);
  await expect(page.getByTestId("page-home").getByRole("heading", { level: 1 })).toHaveText("首頁");
  await expect(page.getByTestId("net-status")).toHaveText("離線");

  // Deep links never visited before still render from the cached shell.
  await page.goto("/alerts");
  await expect(page.getByTestId("page-alerts").getByRole("heading", { level: 1 })).toHaveText("警報");
  await page.goto("/join?code=ABCD-1234");
  await expect(page.getByTestId("page-join").getByRole("heading", { level: 1 })).toHaveText("加入社區");
  await page.goto("/alerts/0190c7a8-0000-7000-8000-000000000000");
  await expect(page.getByTestId("page-alert")).toContainText("找不到這則警報");
  await page.goto("/guides/typhoon");
  await expect(page.getByTestId("page-guide").getByRole("heading", { level: 1 })).toHaveText("颱風");
  await page.goto("/no/such/page");
  await expect(page.getByTestId("page-not-found")).toBeVisible();
});

test("a navigation the platform answers with a server error, or not within 4 s, opens the cached app", async ({ page, context }) => {
  await page.goto("/");
  await appReady(page);
  await swControlling(page);

  // The platform's proxy fails every page with 502: the service worker asked the network
  // first, and shows the cached app instead of the error page.
  let asked = 0;
  await context.route(
    (url) => url.pathname === "/more",
    (route) => {
      asked++;
      return route.fulfill({ status: 502, contentType: "text/html", body: "<h1>502 Bad Gateway</h1>" });
    }
  );
  await page.goto("/more");
  await expect(page.getByTestId("page-more").getByRole("heading", { level: 1 })).toHaveText("更多");
  await expect(page.getByText("502 Bad Gateway")).toHaveCount(0);
  expect(asked, "the network was asked first").toBeGreaterThan(0);

  // A weak signal: the page's answer would take 15 s. The cached app is shown first (after the
  // service worker's 4 s), while the network's answer is still on its way.
  let answered = false;
  await context.route(
    (url) => url.pathname === "/guides",
    async (route) => {
      await new Promise((r) => setTimeout(r, 15_000));
      answered = true;
      await route.continue().catch(() => {});
    }
  );
  await page.goto("/guides", { timeout: 12_000 });
  await expect(page.getByTestId("page-guides")).toBeVisible({ timeout: 12_000 });
  expect(answered, "shown before the network answered").toBe(false);
  await context.unrouteAll({ behavior: "ignoreErrors" });
});

test("the precache holds exactly the build: every listed file is cached", async ({ page }) => {
  await page.goto("/");
  await swControlling(page);
  const { listed, cached } = await page.evaluate(async () => {
    const text = await (await fetch("/sw.js")).text();
    const line = text.split("\n").find((l) => l.startsWith("const PRECACHE = "))!;
    const listed: string[] = JSON.parse(line.slice("const PRECACHE = ".length, -1));
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith("linli-shell-"))!);
    const cached = (await cache.keys()).map((r) => new URL(r.url).pathname);
    return { listed, cached };
  });
  expect(listed.some((u) => u.endsWith("_bg.wasm"))).toBeTruthy();
  expect(listed.some((u) => /\/boot-[0-9a-f]{16}\.js$/.test(u))).toBeTruthy();
  expect(listed).not.toContain("/sw.js");
  expect([...cached].sort()).toEqual([...listed].sort());
});

test.describe("before the service worker has cached anything", () => {
  test.use({ serviceWorkers: "block" });

  test("a screen whose code has not been downloaded says so offline, and opens once back online", async ({ page, context }) => {
    await page.goto("/");
    await appReady(page);
    await context.setOffline(true);
    await page.getByTestId("tab-alerts").click();
    await expect(page.getByTestId("chunk-missing")).toHaveText(
      "這一頁暫時打不開：手機離線，而這一頁還未下載。連上網絡後再試。"
    );
    await context.setOffline(false);
    await page.getByTestId("tab-home").click();
    await page.getByTestId("tab-alerts").click();
    await expect(page.getByTestId("page-alerts").getByRole("heading", { level: 1 })).toHaveText("警報");
  });
});
