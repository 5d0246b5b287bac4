import { test, expect } from "@playwright/test";
import { appReady, invite, enrolThroughJoin, syncNow } from "./support";

test.use({ locale: "en-US" });

// A household with two phones: the second joins with a code (or QR code) shown on the first,
// each sees the other's check-ins, and one removes the other, whose next sync is refused.
test("two phones of one household see each other's check-ins; removing one revokes it", async ({ browser, request }) => {
  const a = await (await browser.newContext({ locale: "en-US" })).newPage();
  await enrolThroughJoin(a, await invite(request), "Mrs Lam");
  await a.getByTestId("checkin-quick").click();
  await syncNow(a);

  await a.goto("/household");
  await appReady(a);
  await expect(a.getByTestId("household-phone")).toHaveCount(1);
  await expect(a.getByTestId("household-phone")).toContainText("This phone");
  await a.getByTestId("unit-change").click();
  // The field takes at most 20 characters, so a longer flat cannot even be typed.
  await expect(a.getByTestId("unit-input")).toHaveAttribute("maxlength", "20");
  await a.getByTestId("unit-input").fill("3-502");
  await a.getByTestId("unit-save").click();
  await expect(a.getByTestId("household-unit")).toHaveText("Flat: 3-502");
  await a.getByTestId("phone-add").click();
  await expect(a.getByTestId("phone-invite-qr")).toBeVisible();
  const code = (await a.getByTestId("phone-invite-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  const b = await (await browser.newContext({ locale: "en-US" })).newPage();
  await enrolThroughJoin(b, code, "Mr Lam");
  await syncNow(b);
  await b.getByTestId("tab-checkin").click();
  // The second phone sees the first person, checked in today on the other phone.
  const mrsLam = b.getByTestId("checkin-member").filter({ hasText: "Mrs Lam" });
  await expect(mrsLam).toContainText("Checked in today");
  await b.getByTestId("checkin-quick").click();
  await syncNow(b);

  await syncNow(a);
  await a.getByTestId("tab-checkin").click();
  await expect(a.getByTestId("checkin-member").filter({ hasText: "Mr Lam" })).toContainText("Checked in today");

  // The first phone removes the second, after a confirmation.
  await a.goto("/household");
  await expect(a.getByTestId("household-phone")).toHaveCount(2);
  await a.getByTestId("phone-remove").click();
  await expect(a.getByTestId("household-phone")).toHaveCount(2);
  await a.getByTestId("phone-remove-confirm").click();
  await expect(a.getByTestId("household-phone")).toHaveCount(1);

  // The removed phone's next sync is refused: it is asked to join again, and keeps its data.
  await b.getByTestId("sync-badge").click();
  await b.getByTestId("sync-now").click();
  await expect(b.getByTestId("sync-reenroll")).toBeVisible({ timeout: 20_000 });
});
