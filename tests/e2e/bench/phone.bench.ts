import { test, expect, type APIRequestContext } from "@playwright/test";
import { enrolThroughJoin, goOffline, staffPost, swControlling, syncNow } from "../support";

// Medians of several runs on a shared machine; each figure is printed with its method and kept
// in BENCHMARKS.md. Not a test: nothing here fails on a slow run.
const RUNS = 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function report(name: string, xs: number[], unit = "ms") {
  const s = [...xs].sort((a, b) => a - b);
  console.log(`${name}: p50 ${median(xs).toFixed(1)} ${unit}, min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)} (${xs.length} runs)`);
}

/** `n` households in building G2-B2, each sharing name, care flags and check-in. */
async function households(request: APIRequestContext, n: number) {
  const codes: string[] = [];
  while (codes.length < n) {
    const r = await staffPost(request, "/api/v1/staff/invites", { role: "resident", building: "G2-B2", count: Math.min(100, n - codes.length) });
    codes.push(...r.codes);
  }
  for (const [i, code] of codes.entries()) {
    const r = await request.post("/api/v1/enroll", { data: { invite_code: code, display_name: `Resident ${i}`, unit: `${1 + (i % 30)}-${100 + Math.floor(i / 30)}` } });
    const dev = await r.json();
    const today = new Date().toISOString().slice(0, 10);
    const items: unknown[] = [{ id: dev.member_id, kind: "household_member", body: { display_name: `Resident ${i}`, flags: i % 7 === 0 ? ["elderly_alone"] : [], share_with_volunteers: { name: true, care_flags: true, check_in: true } } }];
    if (i % 3 !== 0) {
      const id = "0190c7a8-3b1e-7c2d-8f00-" + (900_000_000 + i).toString(16).padStart(12, "0");
      items.push({ id, kind: "health_report", body: { member_id: dev.member_id, date: today, symptoms: i % 11 === 0 ? ["cough"] : [], reported_at: new Date().toISOString() } });
    }
    await request.post("/api/v1/sync/push", { headers: { Authorization: `Bearer ${dev.token}` }, data: { items } });
  }
}

test("a volunteer's roster of 300 households with today's coverage: time to render after opening the tab", async ({ page, request }) => {
  await households(request, 300);
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "volunteer", building: "G2-B2", count: 1 });
  await enrolThroughJoin(page, codes.codes[0], "Bench volunteer");
  await syncNow(page);
  const times: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    await page.getByTestId("tab-home").click();
    await expect(page.getByTestId("page-home")).toBeVisible();
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const t0 = performance.now();
          (document.querySelector('[data-testid="tab-building"]') as HTMLElement).click();
          const check = () => {
            if (document.querySelectorAll('[data-testid="door"]').length >= 300) resolve(performance.now() - t0);
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        })
    );
    // The first opening also fetches and instantiates the chunk; it is reported apart.
    if (run === 0) console.log(`roster first opening (chunk load included): ${ms.toFixed(1)} ms`);
    else times.push(ms);
  }
  report("roster of 300 households, tab opened → every door drawn", times);
});

test("offline cold start of the installed app to an interactive Home, CPU throttled 4×", async ({ browser, request }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "resident", building: "G1-B1", count: 1 });
  await enrolThroughJoin(page, codes.codes[0], "Bench resident");
  await swControlling(page);
  await syncNow(page);
  await page.close();
  await goOffline(context);
  // When Home shows today's check-ins (its data read from IndexedDB), measured from the start
  // of the navigation (performance.now() is zero there).
  // Where the time goes: the tab bar drawn (the wasm fetched, compiled and mounted) and Home
  // showing today's check-ins (read from IndexedDB).
  await context.addInitScript(() => {
    const seen = () => {
      if ((window as any).__shell === undefined && document.querySelector('[data-testid="tab-home"]')) {
        (window as any).__shell = performance.now();
      }
      if (document.querySelector('[data-testid="home-checkin"]')) {
        (window as any).__homeReady = performance.now();
        return true;
      }
      return false;
    };
    new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); }).observe(document, { childList: true, subtree: true });
  });
  const times: number[] = [];
  const wasm: number[] = [];
  const shell: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await p.goto("/");
    // Nothing of the test driver runs in the page while it starts: every Playwright query
    // (a locator, waitForFunction) evaluates script in the page, which under 4× throttling
    // delayed Home by ~60–100 ms p50 (BENCHMARKS.md). Wait outside (2 s, well past every run
    // measured, then 1 s steps), then read what the page noted.
    let home: number | undefined;
    for (let waited = 0; home === undefined && waited < 30_000; waited += 1_000) {
      await p.waitForTimeout(waited === 0 ? 2_000 : 1_000);
      home = await p.evaluate(() => (window as any).__homeReady as number | undefined);
    }
    expect(home, "Home never showed today's check-ins").toBeDefined();
    const controlled = await p.evaluate(() => navigator.serviceWorker.controller !== null);
    expect(controlled).toBe(true);
    const [ms, drawn, fetched] = await p.evaluate(() => [
      (window as any).__homeReady as number,
      (window as any).__shell as number,
      Math.max(0, ...performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).map((e) => (e as PerformanceResourceTiming).responseEnd)),
    ]);
    if (run > 0) {
      times.push(ms);
      shell.push(drawn);
      wasm.push(fetched);
    }
    await p.close();
  }
  report("  of which: main wasm fetched from the service worker's cache", wasm);
  report("  of which: tab bar drawn (wasm compiled, instantiated, mounted)", shell);
  report("offline cold start → Home with today's check-ins (4× CPU throttling)", times);
});
