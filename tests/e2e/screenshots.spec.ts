import { test, expect, type Page } from "@playwright/test";
import * as path from "node:path";
import { appReady, invite, enrolThroughJoin, memberId, staffPost, syncNow } from "./support";

// Phone-size screenshots of each main screen in Traditional Chinese. `cargo xtask test` writes them
// to target/e2e/screens; `cargo xtask screens` refreshes the README's copies in docs/screens/.
test.use({ locale: "zh-TW", viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });

const root = process.env.LINLI_ROOT ?? path.resolve(__dirname, "../..");
const screensDir = process.env.LINLI_SCREENS_DIR ?? path.join(root, "target/e2e/screens");

async function shot(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await expect(page.locator("main h1").first()).toBeVisible();
  await page.screenshot({ path: path.join(screensDir, `${name}.png`) });
}

test("each main screen in zh-Hant", async ({ page, request }) => {
  test.setTimeout(120_000);
  await enrolThroughJoin(page, await invite(request), "陳大文");
  const me = await memberId(page);
  // A household with a week of check-ins, a request for help in progress.
  await page.goto("/household/new");
  await appReady(page);
  await page.getByTestId("member-name").fill("陳婆婆");
  await page.getByTestId("member-year").fill("1941");
  await page.getByTestId("flag-0").check();
  await page.getByTestId("member-save").click();
  await expect(page.getByTestId("page-household")).toBeVisible();
  await page.goto(`/checkin/${me}`);
  await appReady(page);
  await page.getByTestId("checkin-temp").fill("37,6");
  await page.getByTestId("symptom-1").check();
  await page.getByTestId("checkin-submit").click();
  await expect(page.getByTestId("checkin-saved")).toBeVisible();
  await page.goto("/help/new");
  await appReady(page);
  await page.getByTestId("help-category-0").check();
  await page.getByTestId("help-description").fill("媽媽的降血壓藥只剩兩天份量，行動不便無法到診所。");
  await page.getByTestId("help-submit").click();
  await expect(page.getByTestId("saved-state")).toHaveText("已發送至社區", { timeout: 20_000 });
  const help = page.url().split("/").pop()!;
  await staffPost(request, `/api/v1/staff/help-requests/${help}/status`, { status: "assigned", assignee: "王義工", note: "今日下午送藥上門" });
  await syncNow(page);

  // Each picture is taken once the screen shows what it is for (the README shows these).
  for (const [name, url, ...shows] of [
    ["home", "/", "陳婆婆", "八號烈風或暴風信號今晚生效"],
    ["checkin", `/checkin/${me}`, "37.6"],
    ["household", "/household", "陳婆婆", "1941"],
    ["help", `/help/${help}`, "媽媽的降血壓藥只剩兩天份量", "今日下午送藥上門"],
    ["alerts", "/alerts", "八號烈風或暴風信號今晚生效", "火警疏散演習"],
    ["alert", "/alerts/0190c7a8-0000-7000-8000-00000000a001", "八號烈風或暴風信號今晚生效", "今晚 7 時前回家"],
    ["rumors", "/rumors", "喝鹽水或用鹽水漱口可以預防感染"],
    ["rumor", "/rumors/0190c7a8-0000-7000-8000-00000000b001", "喝鹽水或用鹽水漱口可以預防感染", "沒有科學證據"],
    ["guide", "/guides/earthquake", "地震", "搖晃時：趴下、掩護、穩住"],
    ["facilities", "/facilities", "幸福社區會堂避難所"],
    ["more", "/more", "大字模式", "繁體中文"],
    ["relay", "/relay/alerts", "轉傳警報和闢謠", "二維碼大小"],
  ]) {
    await page.goto(url);
    await appReady(page);
    for (const text of shows) await expect(page.locator("main").getByText(text, { exact: false }).first()).toBeVisible();
    await shot(page, name);
  }
});

test("the staff console's queue and a request's page in zh-Hant, at a laptop's 1280×800", async ({ browser }) => {
  const context = await browser.newContext({ locale: "zh-TW", viewport: { width: 1280, height: 800 } });
  const desk = await context.newPage();
  await desk.goto("/console/");
  await desk.getByTestId("login-username").fill("grid1");
  await desk.getByTestId("login-password").fill("e2e-admin-password");
  await desk.getByTestId("login-submit").click();
  await expect(desk.getByTestId("queue")).toBeVisible();
  // The demo's life-threatening request, overdue, is first.
  await expect(desk.getByTestId("queue-row").first()).toContainText("危及生命");
  await expect(desk.getByTestId("queue-row").first()).toContainText("已逾時");
  await desk.waitForLoadState("networkidle");
  await desk.screenshot({ path: path.join(screensDir, "console-queue.png") });
  await desk.getByTestId("queue-row").first().getByRole("link").click();
  await expect(desk.getByTestId("request-member")).toHaveText("陳婆婆");
  await desk.screenshot({ path: path.join(screensDir, "console-request.png") });
  await context.close();
});
