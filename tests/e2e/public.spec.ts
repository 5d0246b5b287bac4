import { test, expect, type Page } from "@playwright/test";
import { appReady, goOffline, invite, swControlling, staffPost, syncNow } from "./support";

test.use({ locale: "en-US" });

// A phone that never joined reads what the community publishes, online and then offline, and
// no screen claims "none" or "sent" when it simply is not allowed to fetch or send.
/** Holds the phone's first public pull until `release()` is called; `started` settles when it
 * has left the page. */
async function holdFirstPublicPull(page: Page): Promise<{ started: Promise<void>; release: () => void }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const started = new Promise<void>((resolve) => (arrived = resolve));
  let first = true;
  await page.route("**/api/v1/public/pull**", async (route) => {
    if (!first) return route.continue();
    first = false;
    arrived();
    await held;
    await route.continue();
  });
  return { started, release };
}

test("a fresh browser, never enrolled, reads the community's alert and finds a rebuttal offline after one online visit", async ({ page, context, request }) => {
  const word = `Rainwater${Date.now()}`;
  await staffPost(request, "/api/v1/staff/rebuttals", {
    claim: { en: `Rumor: ${word} from the roof is safe to drink during the typhoon` },
    verdict: "false",
    explanation: { en: "Boil all water; roof water carries dirt and bacteria." },
    sources: [],
    published: "2026-11-28T08:00:00Z",
    tags: [],
  });
  const headline = `Typhoon signal 8 for everyone ${Date.now()}`;
  await staffPost(request, "/api/v1/staff/alerts", {
    sender_name: { en: "Community office" }, status: "actual", category: ["met"], event: { en: "Typhoon" },
    urgency: "immediate", severity: "severe", certainty: "observed", response_type: ["shelter"],
    headline: { en: headline }, description: { en: "Strong winds." }, instruction: { en: "Stay indoors." },
    expires: "2099-01-01T00:00:00Z", area: { desc: { en: "Whole community" }, grids: [], buildings: [] },
  });

  await page.goto("/");
  await appReady(page);
  await swControlling(page);
  // Home puts the active alert first, above the invitation to join.
  await expect(page.getByTestId("home-alerts")).toContainText(headline, { timeout: 20_000 });
  await expect(page.getByTestId("join-link")).toBeVisible();
  await page.getByTestId("tab-alerts").click();
  await page.getByTestId("alert-card").filter({ hasText: headline }).click();
  // Replying needs joining, and the page says so instead of offering buttons that cannot work.
  await expect(page.getByTestId("ack-join")).toBeVisible();
  await expect(page.getByTestId("ack-safe")).toHaveCount(0);
  // The Sync screen neither claims that everything was sent nor offers to send.
  await page.goto("/sync");
  await expect(page.getByTestId("sync-pending")).toHaveText(/only receives the community's public alerts and rebuttals/);
  await expect(page.getByTestId("sync-now")).toHaveCount(0);
  // Asking for help says that joining is needed, not a form that fails.
  await page.goto("/help/new");
  await expect(page.getByTestId("page-help-new")).toContainText("Join your community to ask for help");

  // Offline, the app opens again and the rebuttal is found by search.
  await goOffline(context);
  await page.goto("/rumors");
  await appReady(page);
  await page.getByTestId("rumor-search").fill(word);
  await expect(page.getByTestId("rebuttal-card").first()).toContainText(word);
  await page.getByTestId("tab-alerts").click();
  await expect(page.getByTestId("alert-card").filter({ hasText: headline })).toBeVisible();
});

test("a phone that has never reached the platform says it does not know yet, not that there are none", async ({ page, context }) => {
  // The app loads, but the platform's API does not answer.
  await context.route("**/api/**", (route) => route.abort("connectionrefused"));
  await page.goto("/alerts");
  await appReady(page);
  await expect(page.getByTestId("empty-state")).toContainText("Not updated yet");
  await expect(page.getByTestId("empty-state")).not.toContainText("no alerts");
  await page.getByTestId("tab-rumors").click();
  await expect(page.getByTestId("empty-state")).toContainText("Not updated yet");
});

test("before joining, picking a building brings its and its grid's alerts, and another building's go", async ({ page, request }) => {
  const stamp = Date.now();
  const alert = (headline: string, area: { grids: string[]; buildings: string[] }) => staffPost(request, "/api/v1/staff/alerts", {
    sender_name: { en: "Community office" }, status: "actual", category: ["met"], event: { en: "Water" },
    urgency: "expected", severity: "moderate", certainty: "likely", response_type: ["prepare"],
    headline: { en: headline }, description: { en: "d" }, instruction: { en: "i" },
    expires: "2099-01-01T00:00:00Z", area: { desc: { en: "Area" }, ...area },
  });
  const g2 = `Water cut in grid 2 ${stamp}`;
  const b11 = `Lift repairs in G1-B1 ${stamp}`;
  await alert(g2, { grids: ["G2"], buildings: [] });
  await alert(b11, { grids: [], buildings: ["G1-B1"] });

  await page.goto("/alerts");
  await appReady(page);
  await expect(page.getByTestId("public-building")).toBeVisible();
  await expect(page.getByTestId("alert-card").filter({ hasText: g2 })).toHaveCount(0);
  await page.getByTestId("public-building").selectOption("G2-B1");
  await expect(page.getByTestId("alert-card").filter({ hasText: g2 })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("alert-card").filter({ hasText: b11 })).toHaveCount(0);
  await page.getByTestId("public-building").selectOption("G1-B1");
  await expect(page.getByTestId("alert-card").filter({ hasText: b11 })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId("alert-card").filter({ hasText: g2 })).toHaveCount(0);
});

test("joining while a public pull is on its way still brings the building's alerts", async ({ page, request }) => {
  const headline = `Gas leak in G1-B1 ${Date.now()}`;
  await staffPost(request, "/api/v1/staff/alerts", {
    sender_name: { en: "Community office" }, status: "actual", category: ["safety"], event: { en: "Gas" },
    urgency: "immediate", severity: "severe", certainty: "observed", response_type: ["evacuate"],
    headline: { en: headline }, description: { en: "d" }, instruction: { en: "i" },
    expires: "2099-01-01T00:00:00Z", area: { desc: { en: "G1-B1" }, grids: [], buildings: ["G1-B1"] },
  });
  // The first public pull is held until the phone has joined, then answered.
  const { started, release } = await holdFirstPublicPull(page);
  await page.goto(`/join?code=${await invite(request)}`);
  await appReady(page);
  await started;
  await page.getByTestId("join-name").fill("Mr Race");
  await page.getByTestId("join-submit").click();
  await expect(page.getByTestId("page-checkin")).toBeVisible();
  release();
  // The late public page must not move the new enrolment's cursor past the building's alert.
  await syncNow(page);
  await page.getByTestId("tab-alerts").click();
  await expect(page.getByTestId("alert-card").filter({ hasText: headline })).toBeVisible();
});

test("picking a building while a public pull is on its way still brings that building's alerts", async ({ page, request }) => {
  const headline = `Water cut in grid 2 ${Date.now()}`;
  await staffPost(request, "/api/v1/staff/alerts", {
    sender_name: { en: "Community office" }, status: "actual", category: ["met"], event: { en: "Water" },
    urgency: "expected", severity: "moderate", certainty: "likely", response_type: ["prepare"],
    headline: { en: headline }, description: { en: "d" }, instruction: { en: "i" },
    expires: "2099-01-01T00:00:00Z", area: { desc: { en: "G2" }, grids: ["G2"], buildings: [] },
  });
  // The first public pull (for no building) is held until the reader has picked one, then answered.
  const { started, release } = await holdFirstPublicPull(page);
  await page.goto("/alerts");
  await appReady(page);
  await started;
  await page.getByTestId("public-building").selectOption("G2-B1");
  release();
  // The late page for no building must not move the cursor past grid 2's alert.
  await expect(page.getByTestId("alert-card").filter({ hasText: headline })).toBeVisible({ timeout: 20_000 });
});
