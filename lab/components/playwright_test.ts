import assert from "node:assert/strict";
import { pinnedVersion } from "../../lib/version/mod.ts";
import { PLAYWRIGHT_VERSION } from "./playwright.ts";

Deno.test("PLAYWRIGHT_VERSION is the playwright-core version the CLI pins", () => {
  assert.match(PLAYWRIGHT_VERSION, /^\d+\.\d+\.\d+/);
  assert.equal(PLAYWRIGHT_VERSION, pinnedVersion("playwright-core"));
});
