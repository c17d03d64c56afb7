/**
 * The lab's test pages, served on loopback for Playwright runs to browse:
 * nothing a test opens is outside the machine.
 *   GET /            a small page with a title, text and a moving box
 *   GET /slow?ms=N   the same page after N ms (at most 60 s)
 *   anything else    404
 * `deno run --allow-net lab/components/pages_server.ts --port N`
 * @module
 */

/** The title of every lab page. */
export const PAGE_TITLE = "win-automation lab page";

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>${PAGE_TITLE}</title>
<style>
body { font-family: sans-serif; margin: 2em; }
#box { width: 40px; height: 40px; background: #2a6; position: relative;
  animation: move 1s infinite alternate linear; }
@keyframes move { from { left: 0; } to { left: 200px; } }
</style></head>
<body><h1>${PAGE_TITLE}</h1><p id="text">Served by the lab on loopback.</p>
<div id="box"></div></body></html>
`;

function html(body: string, status = 200): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
  });
}

/** Answers one request (testable without a socket). */
export async function handlePage(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (request.method !== "GET") return html("method not allowed", 405);
  if (url.pathname === "/") return html(PAGE);
  if (url.pathname === "/slow") {
    const ms = Math.min(Number(url.searchParams.get("ms") ?? "0") || 0, 60_000);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return html(PAGE);
  }
  return html("not found", 404);
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--port");
  const port = Number(Deno.args[at + 1]);
  if (at < 0 || !Number.isInteger(port)) {
    // deno-lint-ignore no-console
    console.error("usage: pages_server.ts --port N");
    Deno.exit(2);
  }
  Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, handlePage);
}
