/**
 * Which URLs a page run may open (http and https, others only with
 * `playwright.allow_file_urls`). Base level and free of Playwright, so the
 * command tree checks `--url` without loading the Playwright client.
 * @module
 */
export { pageUrlProblem } from "./page_url.ts";
export type { PageUrlOptions } from "./page_url.ts";
