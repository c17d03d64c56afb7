import type { BrowserType } from "playwright-core";

/** Loads playwright-core's chromium (lazily: only the commands that use it). */
export type LoadChromium = () => Promise<BrowserType>;

/** The real loader. */
export const loadChromium: LoadChromium = async () =>
  (await import("playwright-core")).chromium;
