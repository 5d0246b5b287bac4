import { test, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { appReady, enrolThroughJoin, env, fillStorage, phoneReports, pulledKeys } from "./support";

// The fault suite: the real platform binary (one per scenario, on its own port and database,
// so it can be killed) and the real PWA in headless Chromium. Each scenario saves records on
// the phone, breaks something on the way, lets the app recover, and then counts against the
// platform's database what was saved, what arrived, what was lost and what was doubled.
// Large backlogs are written into IndexedDB the way the app's save writes them (record and
// outbox entry in one transaction); the app's own sync engine sends them.

test.use({ locale: "en-US" });

const ADMIN_PASSWORD = "e2e-admin-password";
type Row = { scenario: string; saved: number; arrived: number; lost: number; duplicated: number };
// Rows go to a file as they are measured, so the table survives a worker restart after a failure.
const tableFile = () => path.join(path.dirname(env("LINLI_E2E_DB")), "faults.jsonl");

class Platform {
  child!: ChildProcess;
  constructor(public port: number, public db: string) {}

  dist = env("LINLI_E2E_DIST");

  /** A platform of its own; with `ownDist`, serving its own copy of the build (to change it). */
  static async start(ownDist = false): Promise<Platform> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "linli-fault-"));
    const p = new Platform(await freePort(), path.join(dir, "linli.db"));
    if (ownDist) {
      p.dist = path.join(dir, "dist");
      fs.cpSync(env("LINLI_E2E_DIST"), p.dist, { recursive: true });
    }
    await p.launch();
    return p;
  }

  async launch() {
    this.child = spawn(
      env("LINLI_PLATFORM_BIN"),
      ["serve", "--demo", "--auth-attempts-per-minute", "1000", "--addr", `127.0.0.1:${this.port}`,
       "--dist", this.dist, "--db", this.db],
      { env: { ...process.env, LINLI_ADMIN_PASSWORD: ADMIN_PASSWORD }, stdio: "ignore" }
    );
    await expect
      .poll(async () => (await fetch(`${this.url}/healthz`).catch(() => null))?.status ?? 0, { timeout: 20_000 })
      .toBe(200);
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Dies at once, as on a power cut: no graceful shutdown. */
  async kill() {
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill("SIGKILL");
    await exited;
  }

  /** A staff request (signed in for it); returns the JSON answer. */
  async staffPost(path: string, data: unknown): Promise<any> {
    const login = await fetch(`${this.url}/api/v1/staff/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
    });
    const { token } = await login.json();
    const r = await fetch(`${this.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(data),
    });
    expect(r.status, await r.clone().text()).toBeLessThan(300);
    return r.json();
  }

  async invite(): Promise<string> {
    return (await this.staffPost("/api/v1/staff/invites", { role: "resident", building: "G1-B1", count: 1 })).codes[0];
  }

  /** How many of `ids` the platform holds, and how many rows it holds for them in all. The
 * `records` id is a primary key, so "duplicated" (rows beyond one per id) is guarded by the
 * schema itself: the column reports it, the lost count is what these scenarios can fail on. */
  count(ids: string[]): { arrived: number; rows: number } {
    const script =
      "import sqlite3, sys, json; ids = json.load(open(sys.argv[2])); " +
      "c = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True); " +
      "rows = [r[0] for r in c.execute('SELECT id FROM records')]; " +
      "mine = [r for r in rows if r in set(ids)]; print(len(set(mine)), len(mine))";
    const file = path.join(path.dirname(this.db), "ids.json");
    fs.writeFileSync(file, JSON.stringify(ids));
    const [arrived, rows] = execFileSync("python3", ["-c", script, this.db, file]).toString().trim().split(" ").map(Number);
    return { arrived, rows };
  }

  async stop() {
    if (this.child.exitCode === null) await this.kill();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function phone(browser: Browser, platform: Platform, name: string): Promise<{ context: BrowserContext; page: Page }> {
  // No service worker: it would hide the platform requests from the routes that break them.
  const context = await browser.newContext({ baseURL: platform.url, serviceWorkers: "block" });
  const page = await context.newPage();
  await enrolThroughJoin(page, await platform.invite(), name);
  return { context, page };
}

/** Writes `n` check-ins into the phone's IndexedDB as the app's save does; returns their ids. */
async function backlog(page: Page, n: number): Promise<string[]> {
  return page.evaluate(async (n) => {
    const db: IDBDatabase = await new Promise((res, rej) => {
      const r = indexedDB.open("linli");
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const meta = await new Promise<any>((res) => {
      const g = db.transaction("meta").objectStore("meta").get("device");
      g.onsuccess = () => res(JSON.parse(g.result.value));
    });
    const hex = (bytes: number) =>
      Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
    const ids: string[] = [];
    const tx = db.transaction(["records", "outbox"], "readwrite", { durability: "strict" } as any);
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const ms = (now - n + i).toString(16).padStart(12, "0");
      const r = hex(10);
      const id = `${ms.slice(0, 8)}-${ms.slice(8)}-7${r.slice(0, 3)}-${"89ab"[i % 4]}${r.slice(3, 6)}-${r.slice(8, 20)}`;
      ids.push(id);
      const at = new Date(now - n + i).toISOString();
      const body = JSON.stringify({ member_id: meta.member_id, date: at.slice(0, 10), symptoms: [], reported_at: at });
      tx.objectStore("records").put({ id, kind: "health_report", body, sync: "local", updated_ms: now - n + i });
      tx.objectStore("outbox").add({ id, kind: "health_report", body, state: "queued", created_ms: now - n + i, attempts: 0, error: null });
    }
    await new Promise((res, rej) => {
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
    db.close();
    return ids;
  }, n);
}


/** "Sync now" until a sync that started after this call succeeded (it sends the whole queue)
 * and the phone says everything was sent. */
async function syncUntilSent(page: Page, timeout = 60_000) {
  const since = Date.now();
  if (!page.url().endsWith("/sync")) {
    await page.goto("/sync");
    await appReady(page);
  }
  await expect(async () => {
    if (await page.getByTestId("sync-now").isEnabled()) await page.getByTestId("sync-now").click();
    await expect
      .poll(async () => Number((await page.getByTestId("sync-last").getAttribute("data-ms")) ?? 0), { timeout: 3_000 })
      .toBeGreaterThan(since);
    await expect(page.getByTestId("sync-pending")).toHaveText("Everything has been sent to the community.", { timeout: 3_000 });
  }).toPass({ timeout });
}

function record(scenario: string, platform: Platform, saved: string[]) {
  const { arrived, rows } = platform.count(saved);
  const row: Row = { scenario, saved: saved.length, arrived, lost: saved.length - arrived, duplicated: rows - arrived };
  fs.appendFileSync(tableFile(), JSON.stringify(row) + "\n");
  expect(row.lost, `${scenario}: lost`).toBe(0);
  expect(row.duplicated, `${scenario}: duplicated`).toBe(0);
}

test.afterAll(() => {
  const table: Row[] = fs.existsSync(tableFile())
    ? fs.readFileSync(tableFile(), "utf8").trim().split("\n").map((l) => JSON.parse(l))
    : [];
  const lines = [
    "scenario                                         | saved | on platform | lost | duplicated",
    "-------------------------------------------------|-------|-------------|------|-----------",
    ...table.map(
      (r) =>
        `${r.scenario.padEnd(49)}| ${String(r.saved).padStart(5)} | ${String(r.arrived).padStart(11)} | ${String(r.lost).padStart(4)} | ${String(r.duplicated).padStart(10)}`
    ),
  ];
  console.log("\nFault suite\n" + lines.join("\n"));
  const out = path.join(path.dirname(env("LINLI_E2E_DB")), "faults.txt");
  fs.writeFileSync(out, lines.join("\n") + "\n");
});

test("fault: the platform is killed (SIGKILL) in the middle of pushes and restarted", async ({ browser }) => {
  const platform = await Platform.start();
  const { context, page } = await phone(browser, platform, "斷電");
  // Each push is held a moment on its way, so the kill lands while one is in flight (the route
  // first: the app may start a sync the moment the backlog lands).
  await context.route("**/api/v1/sync/push", async (route) => {
    await new Promise((r) => setTimeout(r, 300));
    await route.continue().catch(() => {});
  });
  const saved = await backlog(page, 500);
  await page.goto("/sync");
  await appReady(page);
  const pushing = page.waitForRequest("**/api/v1/sync/push");
  await page.getByTestId("sync-now").click();
  await pushing;
  await page.waitForTimeout(400);
  await platform.kill();
  await platform.launch();
  await context.unroute("**/api/v1/sync/push");
  await syncUntilSent(page);
  record("platform SIGKILLed mid-push, restarted", platform, saved);
  await context.close();
  await platform.stop();
});

test("fault: the answer to a committed push is lost", async ({ browser }) => {
  const platform = await Platform.start();
  const { context, page } = await phone(browser, platform, "斷線");
  // The route first: the app may start a sync the moment the backlog lands.
  let lost = 0;
  await context.route("**/api/v1/sync/push", async (route) => {
    if (lost < 2) {
      lost++;
      await route.fetch(); // the platform commits the batch…
      await route.abort("connectionreset"); // …and its answer never reaches the phone
    } else {
      await route.continue();
    }
  });
  const saved = await backlog(page, 250);
  await syncUntilSent(page);
  expect(lost).toBe(2);
  record("answer lost after commit (twice)", platform, saved);
  await context.close();
  await platform.stop();
});

test("fault: the network flaps during a 1 000-record backlog", async ({ browser }) => {
  const platform = await Platform.start();
  const { context, page } = await phone(browser, platform, "訊號差");
  const saved = await backlog(page, 1000);
  await page.goto("/sync");
  await appReady(page);
  await page.getByTestId("sync-now").click();
  for (let i = 0; i < 8; i++) {
    await context.setOffline(i % 2 === 0);
    await page.waitForTimeout(150 + 50 * i);
  }
  await context.setOffline(false);
  await syncUntilSent(page);
  record("network flapping, 1 000-record backlog", platform, saved);
  await context.close();
  await platform.stop();
});

test("fault: the platform is restored from a backup older than what the phone sent", async ({ browser }) => {
  const platform = await Platform.start();
  const { context, page } = await phone(browser, platform, "還原後");
  const before = await backlog(page, 5);
  await syncUntilSent(page);
  // The nightly backup (taken with the platform stopped, WAL files included).
  await platform.kill();
  const files = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith("linli.db"));
  const dir = path.dirname(platform.db);
  const backup = path.join(dir, "backup");
  fs.mkdirSync(backup);
  for (const f of files(dir)) fs.copyFileSync(path.join(dir, f), path.join(backup, f));
  await platform.launch();
  // After it: more check-ins sent, and a notice pulled.
  const after = await backlog(page, 5);
  const notice = await platform.staffPost("/api/v1/staff/notices", {
    kind: "service", title: { en: "Lost in the restore" }, body: { en: "Only after the backup." }, published: "2026-11-28T08:00:00Z",
  });
  await syncUntilSent(page);
  expect(await pulledKeys(page)).toContain(`notice:${notice.id}`);
  // The disk fails; the backup is restored: the platform has lost the second five and the notice.
  await platform.kill();
  for (const f of files(dir)) fs.rmSync(path.join(dir, f));
  for (const f of files(backup)) fs.copyFileSync(path.join(backup, f), path.join(dir, f));
  await platform.launch();
  expect(platform.count(after).arrived).toBe(0);
  // The phone's cursor is past the restored log's end: the pull says reset, the phone drops the
  // notice that no longer exists and sends again everything it had sent.
  await syncUntilSent(page);
  expect(await pulledKeys(page)).not.toContain(`notice:${notice.id}`);
  record("platform restored from an older backup", platform, [...before, ...after]);
  await context.close();
  await platform.stop();
});

test("fault: the tab is closed in the middle of saving", async ({ browser }) => {
  const platform = await Platform.start();
  const { context, page } = await phone(browser, platform, "關分頁");
  await context.setOffline(true);
  await page.getByTestId("tab-checkin").click();
  const quick = page.getByTestId("checkin-quick");
  await expect(quick).toBeVisible();
  for (let i = 0; i < 6; i++) await quick.click({ noWaitAfter: true });
  await page.close(); // no waiting for the last saves to finish
  await context.setOffline(false);
  const again = await context.newPage();
  await again.goto("/sync");
  await appReady(again);
  const saved = await phoneReports(again); // what the closed tab managed to commit
  expect(saved.length).toBeGreaterThan(0);
  await syncUntilSent(again);
  record("tab closed while saving", platform, saved);
  await context.close();
  await platform.stop();
});

test("fault: the phone's storage quota is exceeded", async ({ browser }) => {
  const platform = await Platform.start();
  const { context, page } = await phone(browser, platform, "空間滿");
  await context.setOffline(true);
  await page.getByTestId("tab-checkin").click();
  await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("checkin-saved")).toBeVisible();
  const before = await phoneReports(page);
  await fillStorage(page);
  await page.getByTestId("checkin-quick").click();
  await expect(page.getByTestId("save-error")).toHaveText(
    "Not saved: this phone's storage is full. Free some space and try again; what was saved before is kept."
  );
  await expect(page.getByTestId("sync-badge")).toHaveText("1 to send");
  await page.evaluate(() => ((window as any).storageFull = false));
  const saved = await phoneReports(page);
  expect(saved).toEqual(before);
  await context.setOffline(false);
  await syncUntilSent(page);
  record("storage full (the refused save is shown)", platform, saved);
  await context.close();
  await platform.stop();
});

test("fault: a phone still on the first storage schema upgrades with unsent records", async ({ browser }) => {
  const platform = await Platform.start();
  const context = await browser.newContext({ baseURL: platform.url, serviceWorkers: "block" });
  const page = await context.newPage();
  // Enrolled by an earlier version of the app, whose database is schema v1.
  const code = await platform.invite();
  const enrolled = await (
    await fetch(`${platform.url}/api/v1/enroll`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ invite_code: code, display_name: "舊版本" }),
    })
  ).json();
  await page.goto("/icons/icon-192.png"); // the site's origin, without the app running
  const saved: string[] = await page.evaluate(async (device) => {
    const db: IDBDatabase = await new Promise((res, rej) => {
      const r = indexedDB.open("linli", 1);
      r.onupgradeneeded = () => {
        const d = r.result;
        d.createObjectStore("outbox", { keyPath: "id" }).createIndex("by_state", "state");
        d.createObjectStore("records", { keyPath: "id" }).createIndex("by_kind", "kind");
        d.createObjectStore("content", { keyPath: "key" }).createIndex("by_kind", "kind");
        d.createObjectStore("meta", { keyPath: "key" });
      };
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction(["outbox", "records", "meta"], "readwrite");
    tx.objectStore("meta").put({ key: "device", value: JSON.stringify(device) });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = `0190c7a8-3b1e-7c2d-8f00-${(0xabc000 + i).toString(16).padStart(12, "0")}`;
      ids.push(id);
      const at = new Date(Date.now() - 1000 * (40 - i)).toISOString();
      const body = JSON.stringify({ member_id: device.member_id, date: at.slice(0, 10), symptoms: [], reported_at: at });
      tx.objectStore("records").put({ id, kind: "health_report", body, sync: "local", updated_ms: i });
      tx.objectStore("outbox").put({ id, kind: "health_report", body, state: i % 5 === 0 ? "in_flight" : "queued", created_ms: i, attempts: 0, error: null });
    }
    await new Promise((res) => (tx.oncomplete = res));
    db.close();
    return ids;
  }, enrolled);
  await page.goto("/sync");
  await appReady(page);
  await syncUntilSent(page);
  record("storage schema v1 → v3 with unsent records", platform, saved);
  await context.close();
  await platform.stop();
});

test("fault: two tabs save at the same time", async ({ browser }) => {
  const platform = await Platform.start();
  const { context, page } = await phone(browser, platform, "兩個分頁");
  const other = await context.newPage();
  await other.goto("/checkin");
  await appReady(other);
  await page.getByTestId("tab-checkin").click();
  const tap = async (p: Page) => {
    for (let i = 0; i < 10; i++) {
      await p.getByTestId("checkin-quick").click();
      await expect(p.getByTestId("checkin-saved")).toBeVisible();
    }
  };
  await Promise.all([tap(page), tap(other)]);
  const saved = await phoneReports(page);
  expect(saved.length).toBe(20);
  await syncUntilSent(page);
  record("two tabs saving at once", platform, saved);
  await context.close();
  await platform.stop();
});

test("fault: a new version of the app takes over while records are unsent", async ({ browser }) => {
  test.setTimeout(120_000);
  const platform = await Platform.start(true);
  const context = await browser.newContext({ baseURL: platform.url, serviceWorkers: "allow" });
  const page = await context.newPage();
  await enrolThroughJoin(page, await platform.invite(), "更新中");
  await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active && !!navigator.serviceWorker.controller);
  // The platform cannot be reached while the person checks in (what the worker fetches too).
  await context.route("**/api/**", (route) => route.abort("internetdisconnected"));
  await page.getByTestId("tab-checkin").click();
  for (let i = 0; i < 3; i++) {
    await page.getByTestId("checkin-quick").click();
    await expect(page.getByText(`Checked in ${i + 1} ${i === 0 ? "time" : "times"} today`)).toBeVisible();
  }
  const saved = await phoneReports(page);
  expect(saved.length).toBe(3);

  // A second build is published; the person takes the update.
  const index = path.join(platform.dist, "index.html");
  fs.writeFileSync(index, fs.readFileSync(index, "utf8").replace("</head>", '<meta name="linli-build" content="2"></head>'));
  execFileSync(env("LINLI_XTASK_BIN"), ["finish-dist", "--dir", platform.dist], { stdio: "inherit" });
  await page.reload();
  await appReady(page);
  await expect(page.getByTestId("update-prompt")).toBeVisible({ timeout: 20_000 });
  await Promise.all([page.waitForEvent("load"), page.getByTestId("update-reload").click()]);
  await appReady(page);
  expect(await phoneReports(page)).toEqual(saved);

  await context.unroute("**/api/**");
  await syncUntilSent(page);
  record("new service worker takes over, records unsent", platform, saved);
  await context.close();
  await platform.stop();
});
