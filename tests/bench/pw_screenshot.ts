/**
 * The baseline of `playwright run --screenshot`: a plain script that connects
 * to the same server and takes the same screenshot, nothing else.
 * `deno run <CLI permissions> pw_screenshot.ts <url> <out.png>` with the
 * lab's WIN_AUTOMATION_PLAYWRIGHT_* in the environment.
 * @module
 */
import { chromium } from "playwright-core";

const [url, out] = Deno.args;
const env = (name: string) => Deno.env.get(`WIN_AUTOMATION_PLAYWRIGHT_${name}`);
const browser = await chromium.connect(
  `ws://${env("HOST") ?? "127.0.0.1"}:${env("PORT")}/${env("WS_PATH")}`,
);
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(url!, { waitUntil: "load" });
await page.screenshot({ path: out!, fullPage: true });
await context.close();
await browser.close();
