import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { appReady, enrolThroughJoin, goOffline, goOnline, invite, memberId, phoneRecords, platformQuery, staffPost, staffToken, syncNow, LANGS } from "./support";

test.use({ locale: "en-US", viewport: { width: 390, height: 844 }, hasTouch: true });

/** A household of G1-B1 made through the API, as a family without the app would be: its person
 * shares their name and check-in with the building's volunteers. */
async function neighbour(request: APIRequestContext, name: string, unit: string) {
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "resident", building: "G1-B1", count: 1 });
  const r = await request.post("/api/v1/enroll", { data: { invite_code: codes.codes[0], display_name: name, unit } });
  expect(r.status()).toBe(201);
  const dev = await r.json();
  const push = await request.post("/api/v1/sync/push", {
    headers: { Authorization: `Bearer ${dev.token}` },
    data: { items: [{ id: dev.member_id, kind: "household_member", body: { display_name: name, flags: ["elderly_alone"], share_with_volunteers: { name: true, care_flags: true, check_in: true } } }] },
  });
  expect((await push.json()).results[0].status).toBe("accepted");
  return dev;
}

async function pulled(request: APIRequestContext, token: string): Promise<any[]> {
  const r = await request.get("/api/v1/sync/pull?limit=500", { headers: { Authorization: `Bearer ${token}` } });
  return (await r.json()).changes;
}

test("a volunteer, offline, walks the door-knock list, checks in for a neighbour and resolves an assigned request; online, the console and the household see each, once", async ({ page, context, request, browser }) => {
  const unit = `8-${Date.now() % 1000}`;
  const granny = await neighbour(request, "Granny Ho", unit);
  // Her request for help, which staff assign to the volunteer.
  const requestId = "0190c7a8-3b1e-7c2d-8f00-" + String(Date.now()).padStart(12, "0").slice(-12);
  const filed = await request.post("/api/v1/sync/push", {
    headers: { Authorization: `Bearer ${granny.token}` },
    data: { items: [{ id: requestId, kind: "help_request", body: { member_id: granny.member_id, category: "medicine", urgency: "urgent", description: "Out of blood pressure pills", created_at: new Date(Date.now() - 60_000).toISOString() } }] },
  });
  expect((await filed.json()).results[0].status).toBe("accepted");

  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "volunteer", building: "G1-B1", count: 1 });
  await enrolThroughJoin(page, codes.codes[0], "Volunteer Ming");
  await expect(page.getByTestId("tab-building")).toBeVisible();
  const ming = await memberId(page);
  await staffPost(request, `/api/v1/staff/help-requests/${requestId}/status`, { status: "assigned", volunteer: ming });
  await syncNow(page);

  await page.getByTestId("tab-building").click();
  await expect(page.getByTestId("coverage")).toBeVisible();
  const door = page.getByTestId("door").filter({ hasText: `Flat: ${unit}` });
  await expect(door).toContainText("Granny Ho");
  await expect(door).toContainText("Care needs");

  // The stairwell: no network from here on.
  await goOffline(context);
  await door.click();
  await expect(page.getByTestId("page-door")).toBeVisible();
  await page.getByTestId("neighbour-well").click();
  await expect(page.getByTestId("neighbour-saved")).toContainText("Saved on this phone");
  await page.getByTestId("knock-save").click();
  await expect(page.getByTestId("knock-error")).toHaveText("Choose what you found.");
  await page.getByTestId("knock-0").check();
  await page.getByTestId("knock-note").fill("Fine, has food for three days");
  await expect(page.locator("#knock-note-count")).toHaveText(`${500 - "Fine, has food for three days".length} characters left`);
  await page.getByTestId("knock-save").click();
  await expect(page.getByTestId("knock-saved")).toBeFocused();
  await expect(page.getByTestId("knock-record")).toContainText("Visited: Safe");

  await page.goto("/building/requests");
  await appReady(page);
  const card = page.getByTestId("assigned-request").filter({ hasText: "Granny Ho" });
  await expect(card).toContainText("Out of blood pressure pills");
  await card.getByTestId("assigned-act").click(); // accept
  await expect(card.getByTestId("assigned-act")).toHaveText("Start");
  await card.getByTestId("assigned-act").click(); // start
  await card.getByTestId("assigned-note").fill("Brought the pills from the clinic");
  await card.getByTestId("assigned-act").click(); // resolved
  await expect(card.getByTestId("assigned-act")).toHaveCount(0);
  await expect(card.getByTestId("assigned-unsent")).toContainText("Saved on this phone");

  await goOnline(context);
  await syncNow(page);
  await syncNow(page); // a second sync sends nothing twice

  // The platform holds each once, attributed to the volunteer.
  expect(platformQuery("SELECT outcome, volunteer_name, note FROM door_knocks WHERE household_id = ?", granny.household_id))
    .toEqual([["safe", "Volunteer Ming", "Fine, has food for three days"]]);
  expect(platformQuery("SELECT count(*) FROM records WHERE kind = 'neighbour_health_report' AND household_id = ?", granny.household_id)).toEqual([[1]]);
  expect(platformQuery("SELECT count(*) FROM records WHERE kind = 'volunteer_help_action' AND json_extract(body, '$.request_id') = ?", requestId)).toEqual([[3]]);
  expect(platformQuery("SELECT status FROM help_requests WHERE id = ?", requestId)).toEqual([["resolved"]]);

  // The household sees the check-in made for her and who resolved her request.
  const theirs = await pulled(request, granny.token);
  const report = theirs.find((c) => c.kind === "health_report");
  expect(report.body.reported_by).toBe("Volunteer Ming");
  const help = theirs.find((c) => c.kind === "help_request" && c.id === requestId);
  const last = help.body.history[help.body.history.length - 1];
  expect([last.status, last.by, last.note]).toEqual(["resolved", "Volunteer Ming", "Brought the pills from the clinic"]);

  // …and on a phone of her household (her son's, joined with the household's own code), each of
  // the three shows once, with the volunteer's name.
  const made = await request.post("/api/v1/household/invites", { headers: { Authorization: `Bearer ${granny.token}` } });
  expect(made.status()).toBe(201);
  const family = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "en-US", hasTouch: true })).newPage();
  await enrolThroughJoin(family, (await made.json()).code, "Son Ho");
  await syncNow(family);
  await family.goto("/household");
  await appReady(family);
  await expect(family.getByTestId("household-visit")).toHaveCount(1);
  await expect(family.getByTestId("household-visit")).toContainText("Visited by building volunteer Volunteer Ming: Safe");
  await expect(family.getByTestId("household-visits")).not.toContainText("food for three days"); // the note is for staff
  await family.goto("/checkin");
  await appReady(family);
  const hers = family.getByTestId("checkin-member").filter({ hasText: "Granny Ho" });
  await expect(hers.getByTestId("reported-by")).toHaveText("Reported by building volunteer Volunteer Ming");
  await family.goto(`/help/${requestId}`);
  await appReady(family);
  await expect(family.getByTestId("help-timeline").locator("li").last()).toContainText("Resolved");
  await expect(family.getByTestId("help-timeline").locator("li").last()).toContainText("By: Volunteer Ming");
  await expect(family.getByTestId("help-timeline").locator("li").last()).toContainText("Brought the pills from the clinic");
  await family.context().close();

  // The console shows the request's history and the building's visits, by the volunteer.
  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-US" })).newPage();
  await desk.goto("/console/");
  await desk.getByTestId("login-username").fill("grid1");
  await desk.getByTestId("login-password").fill("e2e-admin-password");
  await desk.getByTestId("login-submit").click();
  await expect(desk.getByTestId("sign-out")).toBeVisible();
  await desk.goto(`/console/requests/${requestId}`);
  await expect(desk.getByTestId("request-history")).toContainText("Volunteer Ming");
  await expect(desk.getByTestId("request-status")).toHaveText("Resolved");
  await expect(desk.getByTestId("visit").filter({ hasText: unit })).toContainText("Volunteer Ming");
  await expect(desk.getByTestId("volunteer-report").filter({ hasText: unit })).toContainText("Granny Ho");
});

test("a member who withdraws consent disappears from the volunteer's stored roster after sync", async ({ page, request }) => {
  const unit = `6-${Date.now() % 1000}`;
  const dev = await neighbour(request, "Mr Withdraw", unit);
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "volunteer", building: "G1-B1", count: 1 });
  await enrolThroughJoin(page, codes.codes[0], "Volunteer Fong");
  await syncNow(page);
  const stored = () => page.evaluate(
    (household) => new Promise<string>((resolve, reject) => {
      const open = indexedDB.open("linli");
      open.onsuccess = () => {
        const get = open.result.transaction("content").objectStore("content").get(`roster_household:${household}`);
        get.onsuccess = () => resolve(get.result ? get.result.body : "");
        get.onerror = () => reject(get.error);
      };
    }),
    dev.household_id
  );
  expect(await stored()).toContain("Mr Withdraw");
  const push = await request.post("/api/v1/sync/push", {
    headers: { Authorization: `Bearer ${dev.token}` },
    data: { items: [{ id: dev.member_id, kind: "household_member", body: { display_name: "Mr Withdraw", flags: ["elderly_alone"] } }] },
  });
  expect((await push.json()).results[0].status).toBe("accepted");
  await syncNow(page);
  // Deleted from the phone's storage, not only hidden: the stored entry no longer holds it.
  const after = await stored();
  expect(after).toContain(unit);
  expect(after).not.toContain("Mr Withdraw");
  expect(after).not.toContain("elderly_alone");
  await page.getByTestId("tab-building").click();
  await expect(page.getByTestId("door").filter({ hasText: `Flat: ${unit}` })).not.toContainText("Mr Withdraw");
});

test("the volunteer screens have no serious accessibility issues in three languages", async ({ browser, request }) => {
  test.setTimeout(300_000);
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "volunteer", building: "G1-B1", count: 3 });
  const audit = async (page: Page, what: string) => {
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious, `${what}: ${JSON.stringify(serious.map((v) => [v.id, v.nodes.map((n) => n.target)]))}`).toEqual([]);
  };
  for (const [i, [lang, words]] of Object.entries(LANGS).entries()) {
    const locale = words.locale;
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`/join?code=${codes.codes[i]}`);
    await appReady(page);
    await page.getByTestId("join-name").fill(`A11y ${i}`);
    await page.getByTestId("join-submit").click();
    await expect(page.getByTestId("page-checkin")).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    // A neighbour on the roster, whose request staff assign to this volunteer: the screens are
    // audited with something on them.
    const unit = `9-${i}${Date.now() % 1000}`;
    const them = await neighbour(request, `Neighbour ${i}`, unit);
    const requestId = "0190c7a8-3b1e-7c2d-8f01-" + String(Date.now()).padStart(12, "0").slice(-12);
    const filed = await request.post("/api/v1/sync/push", {
      headers: { Authorization: `Bearer ${them.token}` },
      data: { items: [{ id: requestId, kind: "help_request", body: { member_id: them.member_id, category: "food_water", urgency: "normal", description: "Water for two days", created_at: new Date(Date.now() - 60_000).toISOString() } }] },
    });
    expect((await filed.json()).results[0].status).toBe("accepted");
    await staffPost(request, `/api/v1/staff/help-requests/${requestId}/status`, { status: "assigned", volunteer: await memberId(page) });
    await syncNow(page);
    for (const [path, ready] of [["/building", "coverage"], ["/building/requests", "assigned-request"], ["/household", "household-phone"]]) {
      await page.goto(path);
      await appReady(page);
      await expect(page.getByTestId(ready).first()).toBeVisible({ timeout: 20_000 });
      await audit(page, `${locale} ${path}`);
    }
    // The household's phones panel with a new phone's code and QR, and the unit being edited.
    await page.getByTestId("phone-add").click();
    await expect(page.getByTestId("phone-invite-qr")).toBeVisible();
    await page.getByTestId("unit-change").click();
    await expect(page.getByTestId("unit-input")).toBeVisible();
    await audit(page, `${locale} /household (add a phone, unit)`);
    // A door's page with its person, and the form asking help for them open.
    await page.goto("/building");
    await page.goto((await page.getByTestId("door").filter({ hasText: unit }).getAttribute("href"))!);
    await expect(page.getByTestId("knock-form")).toBeVisible();
    await page.getByTestId("neighbour-help-open").click();
    await expect(page.getByTestId("neighbour-help-form")).toBeVisible();
    await audit(page, `${locale} door`);
    await context.close();
  }
});

test("dark mode: the text colours meet contrast on the screens that use them", async ({ browser, request }) => {
  const context = await browser.newContext({ locale: "en-US", colorScheme: "dark", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "volunteer", building: "G1-B1", count: 1 });
  await enrolThroughJoin(page, codes.codes[0], "Dark Mode");
  // "Needs attention" on an unwell check-in, "sent to the community" once synced.
  await page.goto(`/checkin/${await memberId(page)}`);
  await page.getByTestId("checkin-submit").waitFor();
  await page.locator("#checkin-temp").fill("38.5");
  await page.getByTestId("checkin-submit").click();
  await expect(page.getByTestId("checkin-saved")).toBeVisible();
  await syncNow(page);
  for (const path of ["/checkin", "/building", "/household", "/help/new", "/alerts", "/rumors"]) {
    await page.goto(path);
    await appReady(page);
    await page.waitForTimeout(500);
    const results = await new AxeBuilder({ page }).withRules(["color-contrast"]).analyze();
    expect(results.violations, `${path}: ${JSON.stringify(results.violations.map((v) => v.nodes.map((n) => [n.target, n.any[0]?.message])))}`).toEqual([]);
  }
  await context.close();
});

test("a volunteer asks for help for a neighbour without a phone, offline; online, it reaches the staff queue and the household, marked as made by the volunteer", async ({ page, context, request }) => {
  const unit = `7-${Date.now() % 1000}`;
  const auntie = await neighbour(request, "Auntie Chan", unit);
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "volunteer", building: "G1-B1", count: 1 });
  await enrolThroughJoin(page, codes.codes[0], "Volunteer Kit");
  await syncNow(page);
  await page.getByTestId("tab-building").click();
  await page.getByTestId("door").filter({ hasText: `Flat: ${unit}` }).click();
  await expect(page.getByTestId("page-door")).toBeVisible();

  await goOffline(context);
  const card = page.getByTestId("door-member").filter({ hasText: "Auntie Chan" });
  await card.getByRole("button", { name: "Ask for help for them — Auntie Chan" }).click();
  await page.getByTestId("neighbour-help-send").click();
  await expect(page.getByTestId("neighbour-help-error")).toHaveText("Say what help is needed.");
  await page.getByTestId("neighbour-help-category").selectOption({ label: "Food and water" });
  await page.getByTestId("neighbour-help-description").fill("No food left; cannot go down the stairs");
  await page.getByTestId("neighbour-help-send").click();
  await expect(page.getByTestId("neighbour-help-saved")).toBeFocused();
  await expect(card.getByTestId("neighbour-help-made")).toContainText("Asked for help: No food left; cannot go down the stairs");
  await expect(card.getByTestId("neighbour-help-made")).toContainText("Saved on this phone");

  await goOnline(context);
  await syncNow(page);
  const asked = (await phoneRecords(page)).filter((r) => r.kind === "neighbour_help_request");
  expect(asked).toHaveLength(1);
  // Staff see it with the volunteer who made it.
  const token = await staffToken(request);
  const detail = await request.get(`/api/v1/staff/help-requests/${asked[0].id}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(detail.status()).toBe(200);
  const state = await detail.json();
  expect(state.request.description).toBe("No food left; cannot go down the stairs");
  expect(state.request.category).toBe("food_water");
  expect(state.request.history[0].by).toBe("Volunteer Kit");
  expect(state.request.history[0].by_role).toBe("volunteer");
  // The household holds it too, once.
  const theirs = (await pulled(request, auntie.token)).filter((c) => c.kind === "help_request" && c.id === asked[0].id);
  expect(theirs).toHaveLength(1);
  expect(theirs[0].body.history[0].by).toBe("Volunteer Kit");
});

test("another person of the household who joins on a volunteer's phone does not get the volunteer's Building tab", async ({ page, request }) => {
  const stamp = Date.now() % 100000;
  await enrolThroughJoin(page, await invite(request), `Mr Tse ${stamp}`);
  const tse = await memberId(page);
  const made = await request.put(`/api/v1/staff/buildings/G1-B1/volunteers/${tse}`, { headers: { Authorization: `Bearer ${await staffToken(request)}` } });
  expect(made.status()).toBe(200);
  await syncNow(page);
  await expect(page.getByTestId("tab-building")).toBeVisible();
  // His daughter joins the same household on this same phone.
  await page.goto("/household");
  await appReady(page);
  await page.getByTestId("phone-add").click();
  const code = (await page.getByTestId("phone-invite-code").textContent())!.trim();
  await enrolThroughJoin(page, code, `Ms Tse ${stamp}`);
  await syncNow(page);
  await expect(page.getByTestId("tab-building")).toHaveCount(0);
});

test("a volunteer code on a joined phone that cannot reach the platform keeps the phone in its household", async ({ page, request }) => {
  const resident = await staffPost(request, "/api/v1/staff/invites", { role: "resident", building: "G1-B1", count: 1 });
  await enrolThroughJoin(page, resident.codes[0], "Mrs Lau");
  const me = await memberId(page);
  const codes = await staffPost(request, "/api/v1/staff/invites", { role: "volunteer", building: "G1-B1", count: 1 });
  // The claim fails (the platform is down for it); enrolling with the same code would succeed.
  await page.route("**/api/v1/volunteer/claim", (r) =>
    r.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "try later" } }) })
  );
  await page.goto(`/join?code=${encodeURIComponent(codes.codes[0])}`);
  await appReady(page);
  await page.getByTestId("join-name").fill("Mrs Lau");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("join-error")).toHaveText("Could not reach the community platform. Try again when you are online.");
  await expect(page.getByTestId("page-join")).toBeVisible();
  expect(await memberId(page)).toBe(me);
  await expect(page.getByTestId("tab-building")).toHaveCount(0);
  // Once the platform answers, the same code adds the building, in the same household.
  await page.unroute("**/api/v1/volunteer/claim");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("tab-building")).toBeVisible();
  expect(await memberId(page)).toBe(me);
});
