import assert from "node:assert/strict";
import { handlePage, PAGE_TITLE } from "./pages_server.ts";

Deno.test("handlePage() serves the lab page, a slow variant, and 404 otherwise", async () => {
  const page = await handlePage(new Request("http://lab/"));
  assert.equal(page.status, 200);
  assert.match(await page.text(), new RegExp(`<title>${PAGE_TITLE}</title>`));
  const started = performance.now();
  const slow = await handlePage(new Request("http://lab/slow?ms=200"));
  assert.equal(slow.status, 200);
  assert.ok(performance.now() - started >= 150, "waited before answering");
  await slow.body?.cancel();
  const missing = await handlePage(new Request("http://lab/nope"));
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});
