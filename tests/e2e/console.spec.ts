import { test, expect, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { appReady, invite, enrolThroughJoin, syncNow, platformQuery, pulledKeys, staffPost, LANGS } from "./support";

// The staff console at /console/, against the demo community: grid1 works in G1 (the demo gives
// grid workers the admin's password when LINLI_ADMIN_PASSWORD is set, as the suite does).
const PASSWORD = "e2e-admin-password";
const DESK = { width: 1280, height: 800 };

test.use({ locale: "en-US" });

async function consolePage(browser: Browser, opts: { locale?: string; width?: number; height?: number } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? DESK.width, height: opts.height ?? DESK.height },
    locale: opts.locale ?? "en-US",
    hasTouch: false,
  });
  return context.newPage();
}

async function signIn(page: Page, username: string) {
  await page.goto("/console/");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("sign-out")).toBeVisible();
}

test("a wrong password is refused on the sign-in screen, and sign-out ends the session", async ({ browser }) => {
  const desk = await consolePage(browser);
  await desk.goto("/console/");
  await desk.getByTestId("login-username").fill("grid1");
  await desk.getByTestId("login-password").fill("not the password");
  await desk.getByTestId("login-submit").click();
  await expect(desk.getByTestId("login-error")).toHaveText("The username or password is wrong.");
  await desk.getByTestId("login-password").fill(PASSWORD);
  await desk.getByTestId("login-submit").click();
  await expect(desk.getByTestId("signed-in-as")).toHaveText("Signed in: G1 網格員 (Grid worker)");
  // The session lives in an HttpOnly cookie: script cannot read it.
  expect(await desk.evaluate(() => document.cookie)).toBe("");
  const cookies = await desk.context().cookies();
  const session = cookies.find((c) => c.name === "linli_staff")!;
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe("Strict");
  // A grid worker has no admin screens.
  await expect(desk.getByRole("link", { name: "Staff accounts" })).toHaveCount(0);
  await desk.getByTestId("sign-out").click();
  await expect(desk.getByTestId("login-submit")).toBeVisible();
  await desk.reload();
  await expect(desk.getByTestId("login-submit")).toBeVisible();
  const after = await desk.request.get("/api/v1/staff/session");
  expect(after.status()).toBe(401);
});

test("the loop: a request filed offline reaches the grid worker live, is assigned, worked and resolved, and the resident confirms", async ({
  page,
  context,
  request,
  browser,
}) => {
  test.setTimeout(120_000);
  await enrolThroughJoin(page, await invite(request), "區婆婆");
  const desk = await consolePage(browser);
  await signIn(desk, "grid1");
  await expect(desk.getByTestId("queue")).toBeVisible();

  // The resident asks for help with no network.
  const what = `需要輪椅送醫 ${Date.now()}`;
  await context.setOffline(true);
  await page.goto("/help/new");
  await appReady(page);
  await page.getByTestId("help-category-2").check();
  await page.getByTestId("help-urgency-1").check();
  await page.getByTestId("help-description").fill(what);
  await page.getByTestId("help-submit").click();
  await expect(page.getByTestId("page-help-detail")).toBeVisible();
  const id = page.url().split("/").pop()!;
  await desk.waitForTimeout(3_500); // a poll passes: nothing yet
  await expect(desk.getByTestId("queue-row").filter({ hasText: what })).toHaveCount(0);

  // Back online: the phone sends it, and the console shows it without a reload, with the cue.
  await context.setOffline(false);
  await expect(page.getByTestId("saved-state")).toHaveText("Sent to the community", { timeout: 20_000 });
  const row = desk.getByTestId("queue-row").filter({ hasText: what });
  await expect(row).toBeVisible({ timeout: 5_000 });
  await expect(desk.getByTestId("new-requests")).toContainText("New requests: 1");
  await expect(row).toHaveClass(/fresh/);
  await expect(desk).toHaveTitle(/^\(\d+\) Help queue/);

  // Assign with a note.
  await row.getByRole("link").click();
  await expect(desk.getByTestId("request-description")).toHaveText(what);
  await expect(desk.getByTestId("request-member")).toHaveText("區婆婆");
  await expect(desk.getByTestId("request-building")).toContainText("G1-B1");
  await desk.getByTestId("assignee").fill("王義工");
  await desk.getByTestId("note").fill("今日下午推輪椅上門");
  await desk.getByTestId("action-assign").click();
  await expect(desk.getByTestId("request-status")).toHaveText("Assigned");
  await syncNow(page);
  await page.goto(`/help/${id}`);
  await appReady(page);
  await expect(page.getByTestId("help-detail-status")).toHaveText("Assigned");
  await expect(page.getByTestId("help-timeline")).toContainText("王義工");
  await expect(page.getByTestId("help-timeline")).toContainText("今日下午推輪椅上門");

  await desk.getByTestId("action-in-progress").click();
  await expect(desk.getByTestId("request-status")).toHaveText("In progress");
  await syncNow(page);
  await page.goto(`/help/${id}`);
  await appReady(page);
  await expect(page.getByTestId("help-detail-status")).toHaveText("In progress");

  // Resolving asks how; the resident sees the note.
  await desk.getByTestId("action-resolve").click();
  await expect(desk.getByTestId("action-message")).toHaveText("Say how it was resolved; the resident sees it.");
  await expect(desk.getByTestId("request-status")).toHaveText("In progress");
  await desk.getByTestId("note").fill("已送到醫院");
  await desk.getByTestId("action-resolve").click();
  await expect(desk.getByTestId("request-status")).toHaveText("Resolved");
  await syncNow(page);
  await page.goto(`/help/${id}`);
  await appReady(page);
  await expect(page.getByTestId("help-detail-status")).toHaveText("Resolved");
  await expect(page.getByTestId("help-timeline")).toContainText("已送到醫院");
  // Who acted is a display name, never the login name.
  await expect(page.getByTestId("help-timeline")).toContainText("G1 網格員");
  await expect(page.getByTestId("help-timeline")).not.toContainText("grid1");
  await page.getByTestId("help-confirm").click();
  await expect(page.getByTestId("help-detail-status")).toHaveText("Confirmed", { timeout: 20_000 });

  // The console's queue shows it confirmed (it refreshes itself).
  await desk.getByRole("link", { name: "Back to the help queue" }).click();
  await expect(desk.getByTestId("queue-row").filter({ hasText: what }).getByTestId("queue-status")).toHaveText("Confirmed", { timeout: 10_000 });
  expect(platformQuery("SELECT status FROM help_requests WHERE id = ?", id)).toEqual([["confirmed"]]);
});

test("an alert published from the console is answered 'I need help': the roll-call counts it and the queue has the linked urgent request", async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(120_000);
  await enrolThroughJoin(page, await invite(request), "鄭先生");
  // A neighbour in the same building whose phone will not reply.
  const quiet = await request.post("/api/v1/enroll", { data: { invite_code: await invite(request), display_name: "莫伯伯" } });
  expect(quiet.status()).toBe(201);
  const desk = await consolePage(browser);
  await signIn(desk, "grid1");
  await desk.getByRole("link", { name: "Alerts and roll-call" }).click();
  await desk.getByTestId("new-alert").click();
  const headline = `Gas leak in Block A — leave now ${Date.now()}`;
  await desk.getByTestId("headline-0").fill(`A座煤氣洩漏 ${headline.slice(-13)}`);
  await desk.getByTestId("headline-2").fill(headline);
  await desk.getByTestId("event-2").fill("Gas leak");
  await desk.getByTestId("description-2").fill("A gas leak was found on the 3rd floor.");
  await desk.getByTestId("instruction-2").fill("Leave by the stairs. Do not use switches.");
  // Nothing is published while a required field is empty: the field says so.
  await desk.getByTestId("publish").click();
  await expect(desk.locator("fieldset.tri[aria-invalid=true]")).toContainText("Fill this in in at least one language.");
  await desk.getByTestId("area_desc-2").fill("Block A");
  await desk.getByTestId("area-building-G1-B1").check();
  // Severe, not extreme: the resident tests' own extreme alert must stay the phone's banner.
  await desk.getByTestId("severity").selectOption("severe");
  await expect(desk.getByTestId("preview")).toContainText(headline);
  await expect(desk.getByTestId("preview")).toContainText("Severe");
  await desk.getByTestId("publish").click();
  await expect(desk.getByTestId("confirm-text")).toHaveText("Publish it? This alert goes to every enrolled phone in 1 building.");
  await desk.getByTestId("confirm-publish").click();
  await expect(desk.getByTestId("roll-call")).toBeVisible();
  const buildingRow = desk.getByTestId("roll-call-row").filter({ hasText: "G1-B1" });
  await expect(buildingRow.getByTestId("roll-need-help")).toHaveText("0");
  // Phone notifications: these phones never allowed them, so none was notified and the panel
  // counts them as without a subscription; a resend is asked once and queued.
  await expect(desk.getByTestId("push-notified")).toHaveText("0");
  await expect(desk.getByTestId("push-none")).not.toHaveText("0");
  await desk.getByTestId("push-resend").click();
  await desk.getByTestId("confirm-push-resend").click();
  await expect(desk.getByText("Queued to send again.")).toBeVisible();

  // The resident gets it and asks for help.
  await syncNow(page);
  await page.getByTestId("tab-alerts").click();
  await page.getByTestId("alerts-active").getByTestId("alert-card").filter({ hasText: headline }).click();
  await page.getByTestId("ack-help").click();
  await expect(page.getByTestId("ack-state")).toContainText("Sent to the community", { timeout: 20_000 });

  // The roll-call counts it (it refreshes itself) and the queue has the urgent request.
  await expect(buildingRow.getByTestId("roll-need-help")).toHaveText("1", { timeout: 10_000 });
  // The door-knock list: the building's households that have not replied (other tests' phones),
  // not the one that did.
  await buildingRow.getByTestId("show-pending").click();
  await expect(desk.getByTestId("pending-household").filter({ hasText: "莫伯伯" })).toBeVisible();
  await expect(desk.getByTestId("pending")).not.toContainText("鄭先生");
  await desk.getByRole("link", { name: "Help queue" }).click();
  const linked = desk.getByTestId("queue-row").filter({ hasText: headline.slice(-13) });
  await expect(linked).toBeVisible({ timeout: 10_000 });
  await expect(linked).toContainText("Urgent");
  await linked.getByRole("link").click();
  await expect(desk.getByText("Asked for help in reply to an alert")).toBeVisible();
  await expect(desk.getByTestId("request-member")).toHaveText("鄭先生");

  // Staff update the alert from the console; the phone shows the update on the same alert.
  await desk.getByRole("link", { name: "Roll-call", exact: true }).click();
  await desk.getByTestId("update-alert").click();
  await expect(desk.getByTestId("headline-2")).toHaveValue(headline);
  await desk.getByTestId("instruction-2").fill("Gas is off. Wait at the assembly point.");
  await desk.getByTestId("publish").click();
  await desk.getByTestId("confirm-publish").click();
  await expect(desk.getByTestId("roll-call")).toBeVisible();
  await syncNow(page);
  await page.getByTestId("tab-alerts").click();
  await page.getByTestId("alerts-active").getByTestId("alert-card").filter({ hasText: headline }).click();
  await expect(page.getByText("Gas is off. Wait at the assembly point.")).toBeVisible();

  // Staff cancel it from the console (asked once); the phone shows it cancelled.
  await desk.getByTestId("cancel-alert").click();
  await desk.getByTestId("confirm-cancel-alert").click();
  await expect(desk.getByText("The alert is cancelled.").first()).toBeVisible();
  await syncNow(page);
  await page.getByTestId("tab-alerts").click();
  await expect(page.getByTestId("alerts-active").getByTestId("alert-card").filter({ hasText: headline })).toHaveCount(0);
});

test("a rumor tip gets a new rebuttal from the inbox, and staff change their own password", async ({ page, request, browser }) => {
  await enrolThroughJoin(page, await invite(request), "馮小姐");
  const rumor = `聽說今晚全區停電三天 ${Date.now()}`;
  await page.goto("/rumors/tip");
  await appReady(page);
  await page.getByTestId("tip-text").fill(rumor);
  await page.getByTestId("tip-submit").click();
  await expect(page.getByTestId("tip-saved")).toBeVisible();
  await expect.poll(() => platformQuery("SELECT count(*) FROM records WHERE kind = 'rumor_tip' AND body LIKE ?", `%${rumor}%`), { timeout: 20_000 }).toEqual([[1]]);

  const token = (await staffPost(request, "/api/v1/staff/accounts", {
    username: "tipadmin", password: "first password 1", display_name: "謝主任", role: "admin", grids: [],
  })).id;
  expect(token).toBeGreaterThan(0);
  const desk = await consolePage(browser);
  await desk.goto("/console/");
  await desk.getByTestId("login-username").fill("tipadmin");
  await desk.getByTestId("login-password").fill("first password 1");
  await desk.getByTestId("login-submit").click();
  await desk.getByRole("link", { name: "Rumor tips" }).click();
  const tip = desk.getByTestId("tip").filter({ hasText: rumor });
  await tip.getByText("Write a rebuttal and link it").click();
  await tip.getByTestId("rebuttal-explanation").fill("供電公司表示沒有停電安排。");
  await tip.getByTestId("publish-rebuttal").click();
  await expect(tip).toContainText("Handled");
  await expect(tip).toContainText("謝主任");
  // The rebuttal reaches the resident's Rumors screen.
  await syncNow(page);
  await page.goto("/rumors");
  await appReady(page);
  await expect(page.getByTestId("rebuttal-card").filter({ hasText: rumor })).toBeVisible();

  // A changed password ends the session: back to sign-in, and only the new one works.
  await desk.getByRole("link", { name: "Change password" }).click();
  await desk.getByTestId("current-password").fill("not it at all");
  await desk.getByTestId("new-password").fill("second password 2");
  await desk.getByTestId("change-password").click();
  await expect(desk.getByTestId("password-error")).toHaveText("current: the password is wrong");
  await desk.getByTestId("current-password").fill("first password 1");
  await desk.getByTestId("change-password").click();
  await expect(desk.getByTestId("login-submit")).toBeVisible();
  await desk.getByTestId("login-username").fill("tipadmin");
  await desk.getByTestId("login-password").fill("first password 1");
  await desk.getByTestId("login-submit").click();
  await expect(desk.getByTestId("login-error")).toHaveText("The username or password is wrong.");
  await desk.getByTestId("login-password").fill("second password 2");
  await desk.getByTestId("login-submit").click();
  await expect(desk.getByTestId("sign-out")).toBeVisible();
});

test("a structure CSV uploaded in the console is refused with its line, or imported whole", async ({ browser }) => {
  const desk = await consolePage(browser);
  await signIn(desk, "admin");
  await desk.getByRole("link", { name: "Grids and buildings" }).click();
  const header = "type,code,name,grid,address,units,kind,contact_name,contact_phone\n";
  const upload = async (name: string, text: string) => {
    await desk.getByTestId("import-file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
    await desk.getByTestId("import-submit").click();
  };
  await upload("bad.csv", `${header}grid,G9,第九網格,,,,,,\nbuilding,G9-B1,九號樓,G9,,lots,,,\n`);
  await expect(desk.getByTestId("import-result")).toHaveText('line 3: units: "lots" is not a whole number');
  await expect(desk.getByTestId("grids")).not.toContainText("G9");
  await upload("good.csv", `${header}grid,G9,第九網格,,,,,,\nbuilding,G9-B1,九號樓,G9,九號路,30,,,\nteam,,九號樓志願隊,G9,,,volunteer_team,何隊長,139 0000 0009\n`);
  await expect(desk.getByTestId("import-result")).toContainText("1 Grids / 1 Buildings / 1 Party branches");
  await expect(desk.getByTestId("grids")).toContainText("G9");
  await expect(desk.getByTestId("teams")).toContainText("九號樓志願隊");

  // Existing rows are changed in place: a building's name and units, a team's contact.
  await desk.getByTestId("buildings").getByRole("button", { name: "Edit G9-B1" }).click();
  await expect(desk.getByTestId("building-code")).toHaveValue("G9-B1");
  await desk.getByTestId("building-name").fill("九號樓 A 座");
  await desk.getByTestId("building-units").fill("many");
  await desk.getByTestId("add-building").getByRole("button", { name: "Save" }).click();
  await expect(desk.getByTestId("add-building")).toContainText("units:");
  await desk.getByTestId("building-units").fill("32");
  await desk.getByTestId("add-building").getByRole("button", { name: "Save" }).click();
  await expect(desk.getByTestId("buildings").getByRole("row").filter({ hasText: "G9-B1" })).toContainText("九號樓 A 座");
  await expect(desk.getByTestId("buildings").getByRole("row").filter({ hasText: "G9-B1" })).toContainText("32");
  await desk.getByTestId("teams").getByRole("button", { name: "Edit 九號樓志願隊" }).click();
  await desk.getByTestId("team-contact").fill("林隊長");
  await desk.getByTestId("team-submit").click();
  await expect(desk.getByTestId("teams").getByRole("row").filter({ hasText: "九號樓志願隊" })).toContainText("林隊長");
});

// axe on every console screen, in each language, at a tablet's 768 px.
for (const lang of Object.keys(LANGS) as (keyof typeof LANGS)[]) {
  test(`every console screen has no serious or critical axe violation at 768 px (${lang})`, async ({ browser, request }) => {
    test.setTimeout(120_000);
    const desk = await consolePage(browser, { locale: LANGS[lang].locale, width: 768, height: 1024 });
    const found: string[] = [];
    const audit = async (where: string) => {
      await desk.waitForLoadState("networkidle");
      await expect(desk.locator("h1").first()).toBeVisible();
      const results = await new AxeBuilder({ page: desk }).analyze();
      found.push(
        ...results.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${where}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      );
      // Nothing wider than the screen.
      const overflow = await desk.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) found.push(`${where}: ${overflow}px wider than 768`);
    };
    await desk.goto("/console/");
    await audit("sign-in");
    await desk.getByTestId("login-username").fill("admin");
    await desk.getByTestId("login-password").fill(PASSWORD);
    await desk.getByTestId("login-submit").click();
    await expect(desk.getByTestId("sign-out")).toBeVisible();
    await expect(desk.getByTestId("queue")).toBeVisible();
    await audit("queue");
    await desk.getByTestId("queue-row").first().getByRole("link").click();
    await expect(desk.getByTestId("request-status")).toBeVisible();
    await audit("request");
    const alert = await staffPost(request, "/api/v1/staff/alerts", {
      sender_name: { en: "Office" }, status: "exercise", category: ["safety"], event: { en: "Drill" }, urgency: "expected",
      severity: "moderate", certainty: "likely", headline: { en: "Evacuation exercise for the console check" }, description: { en: "d" },
      instruction: { en: "i" }, expires: "2099-01-01T00:00:00Z", area: { desc: { en: "G1" }, grids: ["G1"], buildings: [] },
    });
    for (const path of ["/console/alerts", "/console/alerts/new", `/console/alerts/${alert.id}`, `/console/alerts/${alert.id}/edit`, "/console/tips", "/console/structure", "/console/buildings/G1-B1/volunteers", "/console/accounts", "/console/audit", "/console/password"]) {
      await desk.goto(path);
      await expect(desk.getByTestId("sign-out")).toBeVisible();
      await audit(path);
    }
    expect(found).toEqual([]);
  });
}

test("staff make a resident a volunteer in the console: the phone gains the Building tab and the roster; removed after a confirmation, it loses both", async ({ browser, page, request }) => {
  const stamp = Date.now() % 100000;
  const unit = `4-${stamp}`;
  // A neighbour who shares their name with the building's volunteers.
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "resident", building: "G1-B1", count: 1 });
  const joined = await request.post("/api/v1/enroll", { data: { invite_code: codes.codes[0], display_name: `Mr Yip ${stamp}`, unit } });
  expect(joined.status()).toBe(201);
  const yip = await joined.json();
  const shared = await request.post("/api/v1/sync/push", {
    headers: { Authorization: `Bearer ${yip.token}` },
    data: { items: [{ id: yip.member_id, kind: "household_member", body: { display_name: `Mr Yip ${stamp}`, flags: [], share_with_volunteers: { name: true } } }] },
  });
  expect((await shared.json()).results[0].status).toBe("accepted");

  await page.setViewportSize({ width: 390, height: 844 });
  const name = `Mrs Lam ${stamp}`;
  await enrolThroughJoin(page, await invite(request), name);
  await expect(page.getByTestId("tab-building")).toHaveCount(0);

  const desk = await consolePage(browser);
  await signIn(desk, "grid1");
  await desk.getByRole("link", { name: "Grids and buildings" }).click();
  await desk.getByRole("link", { name: "Volunteers G1-B1" }).click();
  await expect(desk.getByRole("heading", { level: 1 })).toHaveText("Volunteers of G1-B1");
  const row = desk.getByTestId("resident").filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await row.getByRole("button", { name: `Make volunteer ${name}` }).click();
  await expect(desk.getByTestId("volunteer-message")).toHaveText(`${name} is now a volunteer of this building.`);
  await expect(row.getByTestId("remove-volunteer")).toBeVisible();

  // The phone follows at its next sync: the tab, and the neighbour in the roster.
  await syncNow(page);
  await page.getByTestId("tab-building").click();
  await expect(page.getByTestId("door").filter({ hasText: `Flat: ${unit}` })).toContainText(`Mr Yip ${stamp}`);

  // Removing asks first; "Cancel" keeps them.
  await row.getByTestId("remove-volunteer").click();
  await expect(desk.getByTestId("confirm-remove")).toHaveText(/Remove Mrs Lam .* as a volunteer of this building\?/);
  await desk.getByTestId("confirm-remove-no").click();
  await expect(desk.getByTestId("confirm-remove")).toHaveCount(0);
  await expect(row.getByTestId("remove-volunteer")).toBeVisible();
  await row.getByTestId("remove-volunteer").click();
  await desk.getByTestId("confirm-remove-yes").click();
  await expect(desk.getByTestId("volunteer-message")).toHaveText(`${name} is no longer a volunteer of this building.`);
  await expect(row.getByTestId("make-volunteer")).toBeVisible();

  // The phone drops the tab and deletes the roster from its storage.
  await syncNow(page);
  await expect(page.getByTestId("tab-building")).toHaveCount(0);
  expect((await pulledKeys(page)).filter((k) => k.startsWith("roster_household:") || k.startsWith("assigned_request:"))).toEqual([]);
  await desk.context().close();
});
