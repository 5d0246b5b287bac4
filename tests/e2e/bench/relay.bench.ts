import { test, expect, chromium } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appReady, chromiumArgs, chromiumPath, env, port } from "../support";

// `cargo xtask bench relay`: seconds from "Turn on the camera" to "Received n records" on the
// scan screen, headless Chromium reading Chromium's fake camera — a Y4M video (640×480, 10 fps,
// each QR code held 0.4 s, looped) made from the frames of n sealed check-ins by the app's own
// encoder (`cargo xtask relay frames|video`). Medians of RUNS; not a test: nothing fails slow.
const RUNS = 3;
const scratch = mkdtempSync(join(tmpdir(), "linli-relay-bench-"));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

test("hand over 10, 50 and 200 check-ins by QR code at each size: seconds to receive", async () => {
  test.setTimeout(1_800_000);
  const xtask = env("LINLI_XTASK_BIN");
  for (const n of [10, 50, 200]) {
    for (const density of ["low", "medium", "high"]) {
      const frames = execFileSync(xtask, ["relay", "frames", String(n), density]).toString().split("\n").filter((l) => l.length > 0);
      const file = join(scratch, `${n}-${density}.y4m`);
      execFileSync(xtask, ["relay", "video", file], { input: frames.join("\n") });
      const seconds: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const browser = await chromium.launch({
          executablePath: chromiumPath,
          args: [...chromiumArgs, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${file}`],
        });
        const context = await browser.newContext({ baseURL: `http://127.0.0.1:${port}`, locale: "en-US", permissions: ["camera"] });
        const page = await context.newPage();
        await page.goto("/relay/scan");
        await appReady(page);
        const start = Date.now();
        await page.getByTestId("relay-camera-on").click();
        await expect(page.getByTestId("relay-received")).toContainText(`Received ${n} records`, { timeout: 300_000 });
        seconds.push((Date.now() - start) / 1000);
        await browser.close();
      }
      const s = [...seconds].sort((a, b) => a - b);
      console.log(`relay ${n} check-ins, ${density}: ${frames.length} codes (loop ${(frames.length * 0.4).toFixed(1)} s in the video), received in p50 ${median(seconds).toFixed(1)} s, min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)} (${RUNS} runs)`);
    }
  }
});
