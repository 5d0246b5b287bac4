import { expect, type Page, type APIRequestContext, type BrowserContext, type Route } from "@playwright/test";
import { execFileSync } from "node:child_process";

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

// Offline as the phone sees it (the browser reports offline) and, for tests that count what
// reached the platform, certainly offline: every platform API request from the context fails
// as a dropped connection, whatever the browser's offline emulation covers.
const API = "**/api/**";
const dropConnection = (route: Route) => route.abort("internetdisconnected");

export async function goOffline(context: BrowserContext) {
  await context.route(API, dropConnection);
  await context.setOffline(true);
}

export async function goOnline(context: BrowserContext) {
  await context.unroute(API, dropConnection);
  await context.setOffline(false);
}

// Talks to the real platform as staff, to make invites and read what the platform holds.
// One sign-in per test worker: the platform rate-limits staff sign-in per address.
let cachedStaffToken: string | undefined;
export async function staffToken(request: APIRequestContext): Promise<string> {
  if (cachedStaffToken) return cachedStaffToken;
  const r = await request.post("/api/v1/staff/login", { data: { username: "admin", password: "e2e-admin-password" } });
  expect(r.status()).toBe(200);
  cachedStaffToken = (await r.json()).token;
  return cachedStaffToken!;
}

export async function invite(request: APIRequestContext): Promise<string> {
  const token = await staffToken(request);
  const r = await request.post("/api/v1/staff/invites", {
    headers: { Authorization: `Bearer ${token}` },
    data: { role: "resident", building: "G1-B1", count: 1 },
  });
  expect(r.status()).toBe(200);
  return (await r.json()).codes[0];
}

export async function enrolThroughJoin(page: Page, code: string, name: string) {
  await page.goto(`/join?code=${encodeURIComponent(code)}`);
  await appReady(page);
  await expect(page.getByTestId("join-code")).toHaveValue(code);
  await page.getByTestId("join-name").fill(name);
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("page-checkin")).toBeVisible();
}

/** How many health reports of this member the platform holds (read from its own database). */
export function platformReports(memberId: string): number {
  const script =
    "import sqlite3, sys; c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True); " +
    "print(c.execute(\"SELECT COUNT(*) FROM records WHERE kind = 'health_report' AND json_extract(body, '$.member_id') = ?\", (sys.argv[2],)).fetchone()[0])";
  return Number(execFileSync("python3", ["-c", script, process.env.LINLI_E2E_DB!, memberId]).toString().trim());
}

/** The keys (`kind:id`) of the published content the phone has pulled (its IndexedDB). */
export async function pulledKeys(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open("linli");
        open.onsuccess = () => {
          const all = open.result.transaction("content").objectStore("content").getAll();
          all.onsuccess = () => {
            resolve(all.result.map((c: { key: string }) => c.key));
            open.result.close();
          };
          all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
      })
  );
}

/** Every record the phone holds (its IndexedDB `records` store): id and kind. */
export async function phoneRecords(page: Page): Promise<{ id: string; kind: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ id: string; kind: string }[]>((resolve, reject) => {
        const open = indexedDB.open("linli");
        open.onsuccess = () => {
          const all = open.result.transaction("records").objectStore("records").getAll();
          all.onsuccess = () => {
            resolve(all.result.map((r: { id: string; kind: string }) => ({ id: r.id, kind: r.kind })));
            open.result.close();
          };
          all.onerror = () => reject(all.error);
        };
        open.onerror = () => reject(open.error);
      })
  );
}

/** The ids of every health report the phone holds. */
export async function phoneReports(page: Page): Promise<string[]> {
  return (await phoneRecords(page)).filter((r) => r.kind === "health_report").map((r) => r.id);
}

/** The ids of this member's health reports on the platform (from its own database). */
export function platformReportIds(memberId: string): string[] {
  return platformQuery(
    "SELECT id FROM records WHERE kind = 'health_report' AND json_extract(body, '$.member_id') = ? ORDER BY id",
    memberId
  ).map((row) => String(row[0]));
}

export async function memberId(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open("linli");
        open.onsuccess = () => {
          const get = open.result.transaction("meta").objectStore("meta").get("device");
          get.onsuccess = () => resolve(JSON.parse(get.result.value).member_id);
          get.onerror = () => reject(get.error);
        };
        open.onerror = () => reject(open.error);
      })
  );
}


/** Runs one read-only SQL query against the platform's database; returns the rows as JSON. */
export function platformQuery(sql: string, ...args: string[]): unknown[][] {
  const script =
    "import sqlite3, sys, json; c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True); " +
    "print(json.dumps(c.execute(sys.argv[2], sys.argv[3:]).fetchall()))";
  return JSON.parse(execFileSync("python3", ["-c", script, process.env.LINLI_E2E_DB!, sql, ...args]).toString());
}

/** Sends a staff request to the platform and returns the JSON answer. */
export async function staffPost(request: APIRequestContext, path: string, data: unknown): Promise<any> {
  const token = await staffToken(request);
  const r = await request.post(path, { headers: { Authorization: `Bearer ${token}` }, data });
  expect(r.status(), await r.text()).toBeLessThan(300);
  return r.json();
}

/** Asks the app to sync now from the Sync screen and waits until it is done. */
export async function syncNow(page: Page) {
  // Through the header badge: an in-app navigation keeps what the page shows (e.g. a banner).
  await page.getByTestId("sync-badge").click();
  await expect(page.getByTestId("sync-now")).toBeEnabled();
  // Done when the time of the last successful sync moves on (it is kept in milliseconds).
  const last = page.getByTestId("sync-last");
  const before = await last.getAttribute("data-ms");
  await page.getByTestId("sync-now").click();
  await expect.poll(() => last.getAttribute("data-ms"), { timeout: 20_000 }).not.toBe(before);
  await expect.poll(() => last.getAttribute("data-ms")).not.toBeNull();
  await expect(page.getByTestId("sync-badge")).toHaveText(/Synced|已同步|已同步/);
}

/** Makes the phone's storage full: from now on IndexedDB writes fail as Chromium fails them at
 * its quota (QuotaExceededError) until `window.storageFull` is set false. Chromium's CDP quota
 * override did not reach an app page whose service worker is installed in our runs, so the write
 * methods are made to fail in the page instead. */
export async function fillStorage(page: Page) {
  await page.evaluate(() => {
    for (const method of ["add", "put"] as const) {
      const original = IDBObjectStore.prototype[method];
      (IDBObjectStore.prototype as any)[method] = function (this: IDBObjectStore, ...args: unknown[]) {
        if ((window as any).storageFull) {
          throw new DOMException("The current transaction exceeded its quota limitations.", "QuotaExceededError");
        }
        return (original as any).apply(this, args);
      };
    }
    (window as any).storageFull = true;
  });
}
