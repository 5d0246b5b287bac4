import { test, expect, type BrowserContext, type Page } from "@playwright/test";
import * as fs from "node:fs";
import {
  appReady, goOffline, goOnline, swControlling, staffToken, staffPost, invite, enrolThroughJoin, platformReports, platformReportIds,
  phoneReports, memberId, syncNow, pulledKeys, fillStorage,
} from "./support";

test.use({ locale: "en-US" });

test("a bad invite code is refused with a clear message and nothing is enrolled", async ({ page }) => {
  await page.goto("/join");
  await appReady(page);
  await expect(page.getByTestId("sync-badge")).toHaveCount(0);
  await page.getByTestId("join-submit").click();
  await expect(page.locator("#join-code-error")).toHaveText("Enter the invite code.");
  await page.getByTestId("join-code").fill("ZZZZ-ZZZZ");
  await page.getByTestId("join-name").fill("Ah Wing");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("join-error")).toContainText("unknown, used or expired");
  await page.goto("/sync");
  await expect(page.getByTestId("sync-now")).toHaveCount(0);
});

test("reports made offline survive closing the page and reach the platform exactly once", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "陳大文");
  await swControlling(page);
  const member = await memberId(page);

  await goOffline(context);
  for (let i = 0; i < 3; i++) await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("checkin-saved")).toHaveText("Saved on this phone. It will be sent when you are online.");
  await expect(page.getByTestId("sync-badge")).toHaveText("3 to send");
  const saved = (await phoneReports(page)).sort();
  expect(saved).toHaveLength(3);

  // Close the page, open the app again, still offline: the phone still holds the same three,
  // still unsent. (While offline the test also blocks the API, so the platform is not asked.)
  await page.close();
  const again = await context.newPage();
  await again.goto("/sync");
  await appReady(again);
  await expect(again.getByTestId("sync-pending")).toContainText("3 records exist only on this phone");
  expect((await phoneReports(again)).sort()).toEqual(saved);

  await goOnline(context);
  await expect(again.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.", { timeout: 20_000 });
  // The very records saved offline are on the platform — not copies under new ids.
  expect(platformReportIds(member)).toEqual(saved);
  // Sent means marked sent: a phone that forgot would push them again at every sync (the
  // platform would answer "duplicate" and its count would not move, so watch the requests).
  const pushedAgain: string[] = [];
  context.on("request", (r) => {
    if (r.url().endsWith("/api/v1/sync/push")) pushedAgain.push(...r.postDataJSON().items.map((i: { id: string }) => i.id));
  });
  await again.reload();
  await appReady(again);
  await syncNow(again);
  expect(pushedAgain).toEqual([]);
  expect(await phoneReports(again)).toHaveLength(3);
  expect(platformReportIds(member)).toEqual(saved);
});

test("a push the platform committed but whose answer was lost is retried without duplicates", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "李婆婆");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");

  // The fault: the platform receives and commits the push, but the phone never gets the answer.
  // Every push body is kept, with the platform's answer to each item.
  const lostIds: string[] = [];
  const later: { ids: string[]; statuses: string[] }[] = [];
  await context.route("**/api/v1/sync/push", async (route) => {
    const ids: string[] = route.request().postDataJSON().items.map((i: { id: string }) => i.id);
    const response = await route.fetch();
    expect(response.status()).toBe(200);
    if (lostIds.length === 0) {
      lostIds.push(...ids);
      await route.abort("connectionreset");
    } else {
      const results: { status: string }[] = (await response.json()).results;
      later.push({ ids, statuses: results.map((r) => r.status) });
      await route.fulfill({ response });
    }
  });
  for (let i = 0; i < 3; i++) await page.getByTestId("checkin-quick").click();
  await expect.poll(() => lostIds.length).toBeGreaterThan(0);
  await expect.poll(() => platformReports(member)).toBe(3);

  // The phone still counts them as unsent; the retry (backoff or "Sync now") resends them.
  await page.goto("/sync");
  await appReady(page);
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.", { timeout: 20_000 });
  // The resend: every id whose answer was lost is in a later request, answered "duplicate".
  for (const id of lostIds) {
    const resent = later.find((p) => p.ids.includes(id));
    expect(resent, `${id} sent again`).toBeDefined();
    expect(resent!.statuses[resent!.ids.indexOf(id)]).toBe("duplicate");
  }
  expect(platformReports(member)).toBe(3);
});

test("a refused token asks to enrol again and keeps the records", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "黃先生");
  await context.setOffline(true);
  await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("sync-badge")).toHaveText("1 to send");
  // The platform no longer knows this device.
  await page.route("**/api/v1/sync/**", (route) =>
    route.fulfill({ status: 401, contentType: "application/json", body: '{"error":{"code":"unauthorized","message":"unknown token"}}' })
  );
  await context.setOffline(false);
  await page.goto("/sync");
  await appReady(page);
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-reenroll")).toBeVisible();
  await expect(page.getByTestId("sync-pending")).toContainText("1 record exists only on this phone");
});

test("a record the platform refuses is kept, counted and explained in plain words", async ({ page, request }) => {
  await enrolThroughJoin(page, await invite(request), "何伯");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  await page.route("**/api/v1/sync/push", async (route) => {
    const items: { id: string }[] = route.request().postDataJSON().items;
    await route.fulfill({
      json: {
        results: items.map((i) => ({ id: i.id, status: "rejected", code: "invalid", message: "body.temperature_c: too high", retryable: false })),
      },
    });
  });
  await page.getByTestId("checkin-quick").click();
  await page.goto("/sync");
  await appReady(page);
  await expect(page.getByTestId("sync-kept")).toHaveText(
    "1 record was not accepted by the community platform and exists only on this phone (see below)."
  );
  await expect(page.getByTestId("sync-pending")).toHaveCount(0);
  await expect(page.getByTestId("sync-rejected").locator("li")).toHaveText([
    "Health check-in: some details were not accepted; check them and enter it again (body.temperature_c: too high)",
  ]);
  // Kept, not dropped: it can still be exported, and a new sync does not lose it.
  await expect(page.getByTestId("sync-export")).toBeEnabled();
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-now")).toBeEnabled();
  await expect(page.getByTestId("sync-rejected").locator("li")).toHaveCount(1);
  expect(platformReports(member)).toBe(0);
});

test("sign-out warns about unsent records, which can be exported first", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "張太太");
  await swControlling(page); // the offline navigation below is served by the service worker
  await context.setOffline(true);
  await page.getByTestId("checkin-quick").click();
  await page.goto("/sync");
  await appReady(page);
  await expect(page.getByTestId("sync-pending")).toContainText("1 record exists only on this phone");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("sync-export").click()]);
  expect(download.suggestedFilename()).toBe("linli-unsent.json");
  const exported = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  expect(exported.items).toHaveLength(1);
  expect(exported.items[0].kind).toBe("health_report");
  expect(exported.items[0].state).toBe("queued");
  expect(exported.items[0].body.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  await page.getByTestId("sign-out").click();
  await expect(page.getByTestId("sign-out-warning")).toHaveText(
    "1 record has not been sent. Signing out deletes it for good. Export it first or wait until it is sent."
  );
  await page.getByTestId("sign-out-confirm").click();
  await expect(page.getByText("Join your community to start syncing.")).toBeVisible();
  await expect(page.getByTestId("sync-badge")).toHaveCount(0);
});

/** Checks in while another tab is syncing: "Sync now" sends nothing, the record waits. */
async function checkInWhileAnotherTabSyncs(page: Page, context: BrowserContext, member: string) {
  let pushes = 0;
  await context.route("**/api/v1/sync/push", async (route) => {
    pushes++;
    await route.continue();
  });
  await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("sync-badge")).toHaveText("1 to send");
  await page.goto("/sync");
  await appReady(page);
  await page.getByTestId("sync-now").click();
  // A window, documented: a push on loopback takes well under 100 ms, so a tab that ignored the
  // other tab's lock would have pushed within this second.
  await page.waitForTimeout(1_000);
  expect(pushes, "no push while the other tab syncs").toBe(0);
  expect(platformReports(member)).toBe(0);
}

/** Once the other tab is done, "Sync now" sends the waiting record, once. */
async function syncNowSendsIt(page: Page, member: string) {
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.", { timeout: 20_000 });
  expect(platformReports(member)).toBe(1);
}

test("while another tab holds the sync lock, this tab does not sync", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "兩個分頁");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  // A second tab of the app is in the middle of a sync: it holds the lock.
  const other = await context.newPage();
  await other.goto("/sync");
  await appReady(other);
  await other.evaluate(() => {
    navigator.locks.request("linli-sync", () => new Promise<void>((release) => ((window as any).releaseSync = release)));
  });

  await checkInWhileAnotherTabSyncs(page, context, member);

  await other.evaluate(() => (window as any).releaseSync());
  await syncNowSendsIt(page, member);
});

test("without Web Locks, a lease another tab holds in localStorage keeps this tab from syncing", async ({ page, context, request }) => {
  // A browser without Web Locks (iOS before 15.4).
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true }));
  await enrolThroughJoin(page, await invite(request), "舊手機");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  expect(await page.evaluate(() => typeof navigator.locks)).toBe("undefined");
  // Another tab is in the middle of a sync: its lease is in localStorage.
  await page.evaluate(() => localStorage.setItem("linli-sync-lease", `other-tab ${Date.now() + 60_000}`));

  await checkInWhileAnotherTabSyncs(page, context, member);

  await page.evaluate(() => localStorage.removeItem("linli-sync-lease"));
  await syncNowSendsIt(page, member);
  // This tab gives its lease back when its sync ends.
  await expect.poll(() => page.evaluate(() => localStorage.getItem("linli-sync-lease"))).toBeNull();
});


/**
 * Pauses the page's clock and starts the app again on it, so its timers (the minute's sync, a
 * backoff) start at a known instant: joining can take any number of seconds on a loaded
 * machine, and what follows must not depend on it. The app's start waits on frames and timers,
 * so the clock moves in small steps until Home is drawn and synced (a few hundred ms of the
 * page's time; the tests' timer checks allow 20 s).
 */
async function startAgainOnPausedClock(page: Page) {
  await page.clock.pauseAt(Date.now() + 2_000);
  // The app's start syncs (a pull, whatever else): that pull is seen before this returns.
  const startupPull = page.waitForResponse("**/api/v1/sync/pull*");
  await page.reload();
  let started = 0;
  await expect
    .poll(async () => {
      await page.clock.runFor(100);
      started += 100;
      const badge = await page.getByTestId("sync-badge").textContent({ timeout: 200 }).catch(() => null);
      return badge === "Synced" && (await page.getByTestId("checkin-quick").isVisible());
    })
    .toBe(true);
  expect(started, "the app started within a few seconds of its clock").toBeLessThan(5_000);
  await startupPull;
}

test("the app also syncs when the page becomes visible again, and every minute while open", async ({ page, request }) => {
  // The page's timers run on a clock the test controls.
  await page.clock.install();
  await enrolThroughJoin(page, await invite(request), "林伯伯");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  await startAgainOnPausedClock(page); // from here no timer fires unless the test says so

  // A push fails (no network); its backoff retry is a timer, frozen with the clock.
  let failed = 0;
  await page.route("**/api/v1/sync/push", (route) => {
    failed++;
    return route.abort("internetdisconnected");
  });
  await page.getByTestId("checkin-quick").click();
  await expect.poll(() => failed).toBe(1);
  await page.unroute("**/api/v1/sync/push");
  // A window, documented: with the page's clock paused no timer can fire, so a sync in this
  // real-time second could only come from a trigger that should not exist.
  await page.waitForTimeout(1_000);
  expect(platformReports(member), "nothing retries before a trigger").toBe(0);

  // The resident switches back to the app.
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
  await expect.poll(() => platformReports(member)).toBe(1);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");

  // Staff publish a notice; the phone picks it up at the next minute tick, not before.
  const staff = await staffToken(request);
  const r = await request.post("/api/v1/staff/notices", {
    headers: { Authorization: `Bearer ${staff}` },
    data: { kind: "service", title: { "zh-Hant": "停水通知", en: "Water off" }, body: { en: "Water off 9–11." }, published: "2026-11-28T08:00:00Z" },
  });
  expect(r.status()).toBe(201);
  const notice = `notice:${(await r.json()).id}`;
  // The failed push left a backoff retry timer (due within seconds): let it fire now, so that
  // what follows can only be the minute timer.
  await page.clock.runFor(10_000);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  // The badge does not show a sync in progress: wait until the retry's pull has stored the
  // notice, so that the next one cannot be in its answer (it would then arrive before the minute).
  await expect.poll(() => pulledKeys(page)).toContain(notice);
  const afterRetry = await pulledKeys(page);
  // The backoff retry pulled too: publish again, after it, and wait for the minute.
  const again = await request.post("/api/v1/staff/notices", {
    headers: { Authorization: `Bearer ${staff}` },
    data: { kind: "service", title: { en: "Power off" }, body: { en: "Power off 13–14." }, published: "2026-11-28T08:00:00Z" },
  });
  const minute = `notice:${(await again.json()).id}`;
  expect(afterRetry).not.toContain(minute);
  // The minute started when the app started again on the paused clock: 10 s + 30 s is still
  // before its tick, and 25 s more is past it.
  await page.clock.runFor(30_000);
  expect(await pulledKeys(page), "nothing syncs before the minute").not.toContain(minute);
  await page.clock.runFor(25_000);
  await expect.poll(() => pulledKeys(page)).toContain(minute);
  expect(await pulledKeys(page)).toContain(notice);
});

test("enrolling into another household never sends the old one's records and pulls the new area from the start", async ({
  page,
  context,
  request,
}) => {
  await enrolThroughJoin(page, await invite(request), "搬家的人");
  const oldMember = await memberId(page);
  // An alert for another grid, published before the phone moves there: below the phone's cursor.
  const alert = await staffPost(request, "/api/v1/staff/alerts", {
    sender_name: { en: "Xingfu Community" }, status: "actual", category: ["safety"],
    event: { en: "Lift repair" }, urgency: "expected", severity: "minor", certainty: "observed",
    response_type: ["monitor"], headline: { en: "G2 lifts off tomorrow" },
    description: { en: "Both lifts in G2 are off 9–12." }, instruction: { en: "Use the stairs." },
    expires: "2099-01-01T00:00:00Z", area: { desc: { en: "Grid 2" }, grids: ["G2"], buildings: [] },
  });
  await page.getByTestId("sync-badge").click();
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");

  // A check-in saved offline, still unsent when the phone joins a household in G2.
  await goOffline(context);
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("sync-badge")).toHaveText("1 to send");
  const token = await staffToken(request);
  const r = await request.post("/api/v1/staff/invites", {
    headers: { Authorization: `Bearer ${token}` },
    data: { role: "resident", building: "G2-B1", count: 1 },
  });
  const code = (await r.json()).codes[0];
  // Back online, the old household's push fails (say the old token was revoked) until the move.
  await page.route("**/api/v1/sync/push", (route) => route.abort());
  await goOnline(context);
  await enrolThroughJoin(page, code, "搬家的人");
  await page.unroute("**/api/v1/sync/push");

  await page.getByTestId("sync-badge").click();
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-parked")).toHaveText(
    "1 record belongs to the household this phone was in before; it will not be sent for the new one. Export it to keep it."
  );
  await expect(page.getByTestId("sync-export")).toBeEnabled();
  expect(platformReports(oldMember)).toBe(0);
  await page.goto(`/alerts/${alert.id}`);
  await appReady(page);
  await expect(page.getByText("G2 lifts off tomorrow")).toBeVisible();
});

test("a save in one tab while another tab is syncing is sent within seconds, not at the next minute", async ({
  page,
  context,
  request,
}) => {
  await enrolThroughJoin(page, await invite(request), "兩個分頁同步");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  // The first tab's own syncs are over (a tab whose sync finds another tab syncing leaves
  // the work to that one, so the other tab's start-up sync would otherwise be skipped).
  await page.waitForLoadState("networkidle");
  const other = await context.newPage();
  // Its start-up sync runs first and is over before the slow one starts: a "sync now" during
  // the start-up sync joins that one and would pull nothing more.
  const startup = other.waitForResponse("**/api/v1/sync/pull*");
  await other.goto("/sync");
  await appReady(other);
  await startup;
  await expect(other.getByTestId("sync-now")).toBeEnabled();
  // The other tab's sync is slow: its pull takes four seconds, holding the sync lock.
  await other.route("**/api/v1/sync/pull*", async (route) => {
    await new Promise((r) => setTimeout(r, 4_000));
    await route.continue();
  });
  const pulling = other.waitForRequest("**/api/v1/sync/pull*");
  await other.getByTestId("sync-now").click();
  await pulling;
  // Past its push: this tab's save is not in the batch it sent.
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  await expect.poll(() => platformReports(member), { timeout: 15_000 }).toBe(1);
});

test("a newer version opening the storage in another tab closes this tab's connection and asks for a reload", async ({
  page,
  context,
  request,
}) => {
  await enrolThroughJoin(page, await invite(request), "舊分頁");
  const other = await context.newPage();
  await other.goto("/icons/icon-192.png"); // same origin, not the app
  // A newer schema opens: it must not hang waiting for the old tab.
  const opened = await other.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const req = indexedDB.open("linli", 99);
        req.onsuccess = () => {
          req.result.close();
          resolve("opened");
        };
        req.onerror = () => resolve("error");
        setTimeout(() => resolve("hung"), 5_000);
      })
  );
  expect(opened).toBe("opened");
  await expect(page.getByTestId("storage-notice")).toHaveText(/Linli was updated in another tab\. Reload this tab to go on\./);
  await expect(page.getByTestId("storage-notice").getByRole("button", { name: "Reload" })).toBeVisible();
});

test("storage that does not answer is named after a few seconds, and the app goes on once it answers", async ({ page }) => {
  // The app's open of its database answers only when the test lets it (a browser's IndexedDB
  // bug, or a stuck disk): its success event is held back from the app's handler.
  await page.addInitScript(() => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
      const req = open.call(this, name, version);
      if (name !== "linli") return req;
      let handler: ((e: Event) => void) | null = null;
      Object.defineProperty(req, "onsuccess", { configurable: true, get: () => handler, set: (f) => (handler = f) });
      req.addEventListener("success", (e) => {
        (window as any).answerStorage = () => handler?.call(req, e);
      });
      return req;
    } as typeof open;
  });
  await page.goto("/");
  await expect(page.getByTestId("page-home")).toBeVisible();
  const notice = page.getByTestId("storage-notice");
  await expect(notice).toHaveText(/Linli cannot open its data on this phone/, { timeout: 10_000 });
  await expect(notice.getByRole("button", { name: "Reload" })).toBeVisible();
  await expect(page.getByTestId("join-link")).toHaveCount(0);
  await page.waitForFunction(() => typeof (window as any).answerStorage === "function");
  await page.evaluate(() => (window as any).answerStorage());
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId("join-link")).toBeVisible();
});

test("storage that cannot be opened is named, and a joined phone is never invited to join again", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "打不開");
  // The phone's database is now of a newer schema than this app can read (a newer version was
  // installed, then an older one served): the app's open fails with an error.
  const other = await context.newPage();
  await other.goto("/icons/icon-192.png"); // same origin, not the app
  await other.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open("linli", 99);
        req.onsuccess = () => {
          req.result.close();
          resolve();
        };
        req.onerror = () => reject(req.error);
      })
  );
  await other.close();
  await page.goto("/");
  await expect(page.getByTestId("page-home")).toBeVisible();
  const notice = page.getByTestId("storage-notice");
  await expect(notice).toHaveText(/Linli cannot open its data on this phone/);
  await expect(notice.getByRole("button", { name: "Reload" })).toBeVisible();
  // Whether it joined cannot be read: nothing says it has not, on Home, the check-in form or
  // the Sync screen.
  await expect(page.locator('a[href="/join"]')).toHaveCount(0);
  await page.getByTestId("tab-checkin").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Daily health check-in");
  await expect(page.locator('a[href="/join"]')).toHaveCount(0);
  await page.goto("/sync");
  await expect(page.getByTestId("sync-summary")).toBeVisible();
  await expect(notice).toBeVisible();
  await expect(page.locator('a[href="/join"]')).toHaveCount(0);
  await expect(page.getByTestId("sync-error")).toHaveText(/storage/i);
  // An invite link opened now names the phone's storage, not the network, when it cannot join.
  await page.goto("/join?code=ABCD-EFGH");
  await page.getByTestId("join-name").fill("打不開");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("join-error")).toHaveText("This phone cannot store data (storage is unavailable).");
});

test("a push that keeps failing does not stop pulls, and the header says the platform is not reachable", async ({
  page,
  context,
  request,
}) => {
  await enrolThroughJoin(page, await invite(request), "推送失敗");
  await expect(page.getByTestId("net-status")).toHaveText("Online");
  // The platform refuses every push (its disk is full), but still answers pulls.
  await context.route("**/api/v1/sync/push", (route) =>
    route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"internal","message":"disk full"}}' })
  );
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  const notice = await staffPost(request, "/api/v1/staff/notices", {
    kind: "service", title: { en: "Clinic hours changed" }, body: { en: "Open 9–12 this week." }, published: "2026-11-28T08:00:00Z",
  });
  await page.getByTestId("sync-badge").click();
  await page.getByTestId("sync-now").click();
  await expect.poll(() => pulledKeys(page)).toContain(`notice:${notice.id}`);
  await expect(page.getByTestId("sync-badge")).toHaveText("1 to send");
  await expect(page.getByTestId("net-status")).toHaveText("Platform not reachable");

  // It answers again: the record goes, and the header says so.
  await context.unroute("**/api/v1/sync/push");
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  await expect(page.getByTestId("net-status")).toHaveText("Online");
});

test("a push answered 413 is split in halves until it fits", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "太大");
  const member = await memberId(page);
  await context.setOffline(true);
  await page.getByTestId("tab-checkin").click();
  for (let i = 0; i < 4; i++) {
    await page.getByTestId("checkin-quick").click();
    await expect(page.getByText(`Checked in ${i + 1} ${i === 0 ? "time" : "times"} today`)).toBeVisible();
  }
  // The platform (behind a proxy with a small body limit) refuses any push of more than one item.
  const sizes: number[] = [];
  await context.route("**/api/v1/sync/push", async (route) => {
    const n = route.request().postDataJSON().items.length;
    sizes.push(n);
    if (n > 1) await route.fulfill({ status: 413, contentType: "application/json", body: '{"error":{"code":"too_large","message":"body: too large"}}' });
    else await route.continue();
  });
  await context.setOffline(false);
  await page.getByTestId("sync-badge").click();
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.", { timeout: 20_000 });
  expect(sizes.slice(0, 3)).toEqual([4, 2, 1]);
  expect(platformReports(member)).toBe(4);
});

test("a push that never gets an answer is given up after 30 s, and the record is sent again, once", async ({ page, request }) => {
  // The page's timers run on a clock the test controls.
  await page.clock.install();
  await enrolThroughJoin(page, await invite(request), "無回音");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  await page.clock.pauseAt(Date.now() + 2_000);
  // A proxy accepts the connection and never answers.
  let held = 0;
  await page.route("**/api/v1/sync/push", () => {
    held++;
  });
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  await expect.poll(() => held).toBe(1);
  await page.getByTestId("sync-badge").click();
  // Just before the deadline the push is still waiting: nothing is reported yet.
  await page.clock.runFor(29_000);
  await expect(page.getByTestId("sync-error")).toHaveCount(0);
  // At 30 s it is given up: the screen says the platform is not answering, the record waits.
  await page.clock.runFor(1_500);
  await expect(page.getByTestId("sync-error")).toHaveText(
    "The community platform is not answering. It will try again by itself."
  );
  await expect(page.getByTestId("sync-badge")).toHaveText("1 to send");
  // The sync is free again (a sync stuck on the request would hold its lock for ever):
  // the platform answers now, and the next sync delivers the record.
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.getByTestId("sync-now").click();
  await expect(page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.");
  expect(platformReports(member)).toBe(1);
});

test("storage failing during a sync is reported as the phone's storage, and nothing is lost", async ({ page, context, request }) => {
  await enrolThroughJoin(page, await invite(request), "存不下");
  const member = await memberId(page);
  await context.setOffline(true);
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("checkin-saved")).toBeVisible();
  const notice = await staffPost(request, "/api/v1/staff/notices", {
    kind: "service", title: { en: "Storage test" }, body: { en: "Kept?" }, published: "2026-11-28T08:00:00Z",
  });
  // From now on IndexedDB writes fail as at the quota.
  await fillStorage(page);
  await context.setOffline(false);
  await page.getByTestId("sync-badge").click();
  await page.getByTestId("sync-now").click();
  // The sync cannot record what it sends or pulls: it says so — not "no network", not the platform.
  await expect(page.getByTestId("sync-error")).toHaveText("This phone cannot store data (storage is unavailable).");
  await expect(page.getByTestId("net-status")).toHaveText("Online");
  expect(await pulledKeys(page)).not.toContain(`notice:${notice.id}`);
  // Space again, in the same page: the next sync sends the record once and the notice arrives.
  await page.evaluate(() => ((window as any).storageFull = false));
  await expect(async () => {
    if (await page.getByTestId("sync-now").isEnabled()) await page.getByTestId("sync-now").click();
    await expect(page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.", { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await expect.poll(() => pulledKeys(page)).toContain(`notice:${notice.id}`);
  expect(platformReports(member)).toBe(1);
});

test("a send whose failure could not be written down is sent by the next sync in the same page", async ({ page, request }) => {
  await enrolThroughJoin(page, await invite(request), "再送");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  await fillStorage(page);
  await page.evaluate(() => ((window as any).storageFull = false));
  // The push is lost on the way, and at that moment the phone's storage fails: the record,
  // marked "being sent", cannot be put back in the queue.
  let pushes = 0;
  await page.route("**/api/v1/sync/push", async (route) => {
    pushes += 1;
    if (pushes === 1) {
      await page.evaluate(() => ((window as any).storageFull = true));
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("checkin-saved")).toBeVisible();
  await expect.poll(() => pushes).toBe(1);
  await expect(page.getByTestId("sync-badge")).not.toHaveText("Syncing…");
  // Space again: the next sync in this page — no reload — sends it, once.
  await page.evaluate(() => ((window as any).storageFull = false));
  await page.getByTestId("sync-badge").click();
  await expect(async () => {
    if (await page.getByTestId("sync-now").isEnabled()) await page.getByTestId("sync-now").click();
    await expect(page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.", { timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  expect(platformReports(member)).toBe(1);
  expect(pushes).toBeGreaterThanOrEqual(2);
});

test("a platform that answers 503, then 429 with Retry-After, then 200 gets the record once, and no sooner than it asked", async ({
  page,
  request,
}) => {
  await page.clock.install();
  await enrolThroughJoin(page, await invite(request), "等一等");
  const member = await memberId(page);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  await startAgainOnPausedClock(page); // from here no timer fires unless the test says so
  const answered: number[] = [];
  await page.route("**/api/v1/sync/push", async (route) => {
    const error = (status: number, code: string, headers: Record<string, string> = {}) => {
      answered.push(status);
      return route.fulfill({ status, headers, contentType: "application/json", body: JSON.stringify({ error: { code, message: "busy" } }) });
    };
    if (answered.length === 0) return error(503, "internal");
    if (answered.length === 1) return error(429, "rate_limited", { "Retry-After": "30" });
    answered.push(200);
    return route.continue();
  });
  // The pull that follows each failed push is slow (as on a weak signal): the retry is only
  // scheduled once it has ended, so the test must not move the clock before that.
  await page.route("**/api/v1/sync/pull*", async (route) => {
    await new Promise((done) => setTimeout(done, 1_500));
    return route.continue();
  });
  // The Sync screen's button is busy while a sync runs: once it is free again, that sync has
  // ended (and set its retry timer, if it failed). The start's sync ends before the save, so
  // the save's own sync is the one that meets the 503.
  const syncEnded = () => expect(page.getByTestId("sync-now")).toHaveText("Sync now");
  await page.getByTestId("sync-badge").click();
  await syncEnded();
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  await page.getByTestId("sync-badge").click();
  await expect.poll(() => answered).toEqual([503]);
  await syncEnded();
  // The backoff retry (1–2 s after the first failure) meets the 429 asking for 30 s.
  await page.clock.runFor(4_100);
  await expect.poll(() => answered).toEqual([503, 429]);
  await syncEnded();
  // Its own backoff would be 2–4 s; the phone waits the 30 s it was asked for.
  await page.clock.runFor(27_000);
  // A window, documented: a retry whose timer fired inside runFor still has to take the lock
  // and read IndexedDB before its request reaches the route (well under a second here); with
  // the page's clock paused again, nothing else can start one.
  await page.waitForTimeout(1_000);
  expect(answered, "no retry before Retry-After").toEqual([503, 429]);
  await page.clock.runFor(4_000);
  await expect.poll(() => answered).toEqual([503, 429, 200]);
  await expect(page.getByTestId("sync-badge")).toHaveText("Synced");
  expect(platformReports(member)).toBe(1);
});
