import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { appReady, invite, enrolThroughJoin, memberId, staffPost, syncNow, LANGS } from "./support";

// axe-core on every screen, in each language: no serious or critical violation.
async function violations(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await appReady(page);
  await expect(page.locator("main h1").first()).toBeVisible();
  // Let lists that load from IndexedDB settle before the audit.
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const lang of Object.keys(LANGS) as (keyof typeof LANGS)[]) {
  test.describe(`accessibility in ${lang}`, () => {
    test.use({ locale: LANGS[lang].locale });

    test(`every screen has no serious or critical axe violation (${lang})`, async ({ page, request }) => {
      test.setTimeout(120_000);
      // Before joining: the screens a new resident sees.
      const found: string[] = [];
      for (const path of ["/", "/checkin", "/join", "/guides", "/guides/earthquake", "/more", "/sync", "/nowhere", "/alerts", "/rumors", "/help/new", "/notices", "/facilities"]) {
        found.push(...(await violations(page, path)));
      }
      await enrolThroughJoin(page, await invite(request), "陳大文");
      const me = await memberId(page);
      // Content to show: a help request with a status, and everything the demo seeds.
      await page.goto("/help/new");
      await appReady(page);
      await page.getByTestId("help-description").fill("需要降血壓藥");
      await page.getByTestId("help-submit").click();
      await expect(page.getByTestId("saved-state")).toHaveText(/.+/);
      const help = page.url().split("/").pop()!;
      await syncNow(page);
      await staffPost(request, `/api/v1/staff/help-requests/${help}/status`, { status: "assigned", assignee: "王義工" });
      await syncNow(page);
      for (const path of [
        "/",
        "/checkin",
        `/checkin/${me}`,
        "/household",
        "/household/new",
        "/help",
        "/help/new",
        `/help/${help}`,
        "/alerts",
        "/alerts/0190c7a8-0000-7000-8000-00000000a001",
        "/alerts/0190c7a8-0000-7000-8000-00000000a002",
        "/rumors",
        "/rumors/0190c7a8-0000-7000-8000-00000000b001",
        "/rumors/tip",
        "/notices",
        "/notices/0190c7a8-0000-7000-8000-00000000c001",
        "/facilities",
        "/more",
        "/sync",
        "/relay",
        "/relay/alerts",
        "/relay/scan",
      ]) {
        found.push(...(await violations(page, path)));
      }
      expect(found).toEqual([]);
    });
  });
}
