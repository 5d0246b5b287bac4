import { expect, type Page } from "@playwright/test";

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the e2e suite through \`cargo xtask test\``);
  return v;
}

export const port = Number(process.env.LINLI_E2E_PORT ?? "0");
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Root on a closed network: no sandbox, and no background connections to Google's hosts.
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

/** What each language shows: tab labels in order, and each tab's page heading. */
export const LANGS = {
  "zh-Hant": {
    locale: "zh-TW",
    tabs: ["首頁", "健康", "警報", "闢謠", "更多"],
    headings: ["首頁", "每日健康登記", "警報", "闢謠", "更多"],
    offline: "離線",
    notFound: "找不到這個頁面",
  },
  "zh-Hans": {
    locale: "zh-CN",
    tabs: ["首页", "健康", "警报", "辟谣", "更多"],
    headings: ["首页", "每日健康登记", "警报", "辟谣", "更多"],
    offline: "离线",
    notFound: "找不到这个页面",
  },
  en: {
    locale: "en-US",
    tabs: ["Home", "Check-in", "Alerts", "Rumors", "More"],
    headings: ["Home", "Daily health check-in", "Alerts", "Rumors", "More"],
    offline: "Offline",
    notFound: "Page not found",
  },
} as const;

export const TAB_IDS = ["tab-home", "tab-checkin", "tab-alerts", "tab-rumors", "tab-more"];
export const PAGE_IDS = ["page-home", "page-checkin", "page-alerts", "page-rumors", "page-more"];

/** Waits until the app has mounted. */
export async function appReady(page: Page) {
  await expect(page.getByTestId("app")).toBeVisible();
}

/** Waits until a service worker controls the page (its precache is complete by then). */
export async function swControlling(page: Page) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.ready;
    return !!reg.active && navigator.serviceWorker.controller !== null;
  });
}
