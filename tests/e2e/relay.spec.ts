import { test, expect, chromium, type BrowserContext, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  appReady, chromiumArgs, chromiumPath, enrolThroughJoin, env, goOffline, goOnline, invite, memberId,
  platformReports, port, pulledKeys, staffPost, swControlling, syncNow,
} from "./support";

// The outage relay (docs/protocol.md §5.20): phones with no network pass records and signed
// alerts by QR code — on the real camera path, Chromium's fake camera playing a Y4M video made
// at test time from the frames the app shows (`cargo xtask relay video`, the app's own
// encoder) — and by file.

const baseURL = `http://127.0.0.1:${port}`;
const phone = { baseURL, locale: "en-US", viewport: { width: 390, height: 844 }, hasTouch: true, serviceWorkers: "allow" as const };
const scratch = mkdtempSync(join(tmpdir(), "linli-relay-"));
let videos = 0;

/** A fake-camera video showing `texts` as QR codes, made by the app's encoder. */
function video(texts: string[]): string {
  const file = join(scratch, `camera-${videos++}.y4m`);
  execFileSync(env("LINLI_XTASK_BIN"), ["relay", "video", file], { input: texts.join("\n") });
  return file;
}

const cameraArgs = (file: string) => [
  ...chromiumArgs,
  "--use-fake-ui-for-media-stream",
  "--use-fake-device-for-media-stream",
  `--use-file-for-fake-video-capture=${file}`,
];

/** A phone that keeps its storage between launches (to be started again with another camera). */
async function launchPhone(profile: string, camera?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    ...phone,
    executablePath: chromiumPath,
    args: camera ? cameraArgs(camera) : chromiumArgs,
    permissions: camera ? ["camera"] : [],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

/** Waits until the service worker has stored the community's signing keys on the phone. */
async function keysStored(page: Page) {
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            new Promise<boolean>((resolve) => {
              const open = indexedDB.open("linli");
              open.onsuccess = () => {
                const get = open.result.transaction("meta").objectStore("meta").get("keys_first");
                get.onsuccess = () => { resolve(!!get.result); open.result.close(); };
                get.onerror = () => resolve(false);
              };
              open.onerror = () => resolve(false);
            })
        ),
      { timeout: 20_000 }
    )
    .toBe(true);
}

/** Scans with the camera on the relay's scan screen. */
async function scanWithCamera(page: Page) {
  await page.goto("/relay/scan");
  await appReady(page);
  await page.getByTestId("relay-camera-on").click();
}

async function frames(page: Page): Promise<string[]> {
  const all = await page.getByTestId("relay-frames").getAttribute("data-frames");
  return all!.split("\n");
}

test("offline, a check-in goes by QR code to a volunteer's phone and its receipt back; the volunteer delivers it, the sender's sync confirms it, the platform holds it once", async ({ request }) => {
  test.setTimeout(240_000);
  const profile = mkdtempSync(join(scratch, "a-"));
  let a = await launchPhone(profile);
  await enrolThroughJoin(a.page, await invite(request), "Ah Po");
  await swControlling(a.page);
  await syncNow(a.page);
  await keysStored(a.page);
  const member = await memberId(a.page);

  // The power cut: phone A checks in with no network.
  await goOffline(a.context);
  await a.page.goto("/checkin");
  await a.page.getByTestId("checkin-quick").click();
  await expect(a.page.getByTestId("checkin-saved")).toContainText("Saved on this phone");
  await a.page.goto("/relay");
  await expect(a.page.getByTestId("relay-waiting")).toHaveText("1 record is waiting to be sent.");
  await a.page.getByTestId("relay-hand").click();
  await expect(a.page.getByTestId("relay-qr")).toBeVisible();
  const shown = await frames(a.page);
  expect(shown.length).toBeGreaterThanOrEqual(1);

  // Phone B, a volunteer's, enrolled earlier, now offline too, scans with its camera.
  const b = await chromium.launch({ executablePath: chromiumPath, args: cameraArgs(video(shown)) });
  const bContext = await b.newContext({ ...phone, permissions: ["camera"] });
  const bPage = await bContext.newPage();
  await enrolThroughJoin(bPage, await invite(request), "Volunteer Wing");
  await swControlling(bPage);
  await goOffline(bContext);
  await scanWithCamera(bPage);
  await expect(bPage.getByTestId("relay-received")).toContainText("Received 1 record", { timeout: 30_000 });
  await expect(bPage.getByTestId("relay-received")).toContainText("Health check-in 1");
  const receipt = await bPage.getByTestId("relay-receipt").getAttribute("data-text");
  expect(receipt).toMatch(/^LR1\/[0-9A-F]{6}\/1$/);

  // A scans the receipt (its camera now shows B's screen): handed, not yet at the community.
  await a.context.close();
  a = await launchPhone(profile, video([receipt!]));
  await goOffline(a.context);
  await scanWithCamera(a.page);
  await expect(a.page.getByTestId("relay-receipt-ok")).toContainText("Handed to a volunteer: 1 record", { timeout: 30_000 });
  await a.page.goto("/relay");
  await expect(a.page.getByTestId("relay-handed")).toHaveText("1 record is with a volunteer, not yet at the community.");
  // A relay never deletes anything on the sender's phone.
  await expect(a.page.getByTestId("relay-waiting")).toHaveText("1 record is waiting to be sent.");
  expect(platformReports(member)).toBe(0);

  // B reaches the network: the carried record arrives as A's.
  await goOnline(bContext);
  await bPage.goto("/sync");
  await syncNow(bPage);
  await expect.poll(() => platformReports(member), { timeout: 20_000 }).toBe(1);

  // A's own next sync is told the community has it; nothing waits any more.
  await goOnline(a.context);
  await a.page.goto("/sync");
  await syncNow(a.page);
  await expect(a.page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.");
  await a.page.goto("/relay");
  await expect(a.page.getByTestId("relay-waiting")).toHaveText("Nothing is waiting to be sent.");
  await expect(a.page.getByTestId("relay-handed")).toHaveCount(0);
  expect(platformReports(member)).toBe(1);
  await b.close();
  await a.context.close();
});

test("a volunteer passes a signed alert by QR code to a phone that never pulled it, which shows it as checked; a tampered copy is refused", async ({ page, context, request }) => {
  test.setTimeout(240_000);
  // Phone C has read public content once (it learnt the community's keys), then lost the network.
  const profile = mkdtempSync(join(scratch, "c-"));
  let c = await launchPhone(profile);
  await c.page.goto("/alerts");
  await appReady(c.page);
  await swControlling(c.page);
  await c.page.reload();
  await keysStored(c.page);
  await c.context.close();

  // The alert is published after that; the volunteer's phone has it.
  const headline = `Typhoon signal 8 ${Date.now()}`;
  const alert = await staffPost(request, "/api/v1/staff/alerts", {
    sender_name: { en: "Community office" }, status: "actual", category: ["met"],
    event: { en: "Typhoon" }, urgency: "immediate", severity: "severe", certainty: "observed",
    response_type: ["shelter"], headline: { en: headline }, description: { en: "Winds over 63 km/h" },
    instruction: { en: "Stay indoors, away from windows" }, expires: "2099-01-01T00:00:00Z",
    area: { desc: { en: "Everyone" }, grids: [], buildings: [] },
  });
  await enrolThroughJoin(page, await invite(request), "Volunteer Chan");
  await syncNow(page);
  await goOffline(context);
  await page.goto("/relay");
  await page.getByTestId("relay-pass").click();
  await expect(page.getByTestId("relay-qr")).toBeVisible();
  const genuine = await frames(page);

  // A forger changes the headline and passes it on: refused, never stored.
  const forged = execFileSync(env("LINLI_XTASK_BIN"), ["relay", "tamper", "Typhoon signal 8", "Typhoon signal 10"], {
    input: genuine.join("\n"),
  }).toString().split("\n").filter((line) => line.length > 0); // a frame may end with a space
  c = await launchPhone(profile, video(forged));
  await goOffline(c.context);
  await scanWithCamera(c.page);
  await expect(c.page.getByTestId("relay-content")).toBeVisible({ timeout: 30_000 });
  await expect(c.page.getByTestId("relay-refused")).toContainText("1 item refused: not signed by the community, changed, or expired.");
  await expect(c.page.getByTestId("relay-content")).not.toContainText("Typhoon signal 10");
  expect(await pulledKeys(c.page)).not.toContain(`alert:${alert.id}`);
  await c.context.close();

  // The genuine codes: checked, stored, shown.
  c = await launchPhone(profile, video(genuine));
  await goOffline(c.context);
  await scanWithCamera(c.page);
  const item = c.page.getByTestId("relay-checked").filter({ hasText: headline });
  await expect(item).toContainText("Checked: signed by the community", { timeout: 30_000 });
  await expect(c.page.getByTestId("relay-refused")).toHaveCount(0);
  await item.getByRole("link").click();
  await expect(c.page.getByRole("heading", { level: 1 })).toHaveText(headline);
  expect(await pulledKeys(c.page)).toContain(`alert:${alert.id}`);
  await c.context.close();
});

test("by file: the records go as a file and the receipt back as a photo; delivered once, confirmed on the sender's next sync", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const aContext = await browser.newContext(phone);
  const a = await aContext.newPage();
  await enrolThroughJoin(a, await invite(request), "Mrs Lee");
  await swControlling(a);
  await syncNow(a);
  await keysStored(a);
  const member = await memberId(a);
  await goOffline(aContext);
  await a.goto("/checkin");
  await a.getByTestId("checkin-quick").click();
  await expect(a.getByTestId("checkin-saved")).toContainText("Saved on this phone");
  await a.goto("/relay/send");
  await expect(a.getByTestId("relay-qr")).toBeVisible();
  const download = a.waitForEvent("download");
  await a.getByTestId("relay-save-file").click();
  const saved = readFileSync((await (await download).path())!, "utf8");
  expect(saved).toBe(await a.getByTestId("relay-frames").getAttribute("data-file"));
  const file = join(scratch, "linli-relay.txt");
  writeFileSync(file, saved);

  const bContext = await browser.newContext(phone);
  const b = await bContext.newPage();
  await enrolThroughJoin(b, await invite(request), "Volunteer Ho");
  await goOffline(bContext);
  await b.goto("/relay/scan");
  await b.getByTestId("relay-file").setInputFiles(file);
  await expect(b.getByTestId("relay-received")).toContainText("Received 1 record");
  // The same file again: not stored twice.
  await b.getByTestId("relay-received").getByRole("button").click();
  await b.getByTestId("relay-file").setInputFiles(file);
  await expect(b.getByTestId("relay-received")).toContainText("These were received already.");
  const receiptPhoto = join(scratch, "receipt.png");
  await b.getByTestId("relay-receipt").screenshot({ path: receiptPhoto });

  // A photographs B's receipt instead of using the camera.
  await a.goto("/relay/scan");
  await a.getByTestId("relay-photo").setInputFiles(receiptPhoto);
  await expect(a.getByTestId("relay-receipt-ok")).toContainText("Handed to a volunteer: 1 record");

  await goOnline(bContext);
  await b.goto("/sync");
  await syncNow(b);
  await expect.poll(() => platformReports(member), { timeout: 20_000 }).toBe(1);
  await goOnline(aContext);
  await a.goto("/sync");
  await syncNow(a);
  await expect(a.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.");
  expect(platformReports(member)).toBe(1);
  await aContext.close();
  await bContext.close();
});
