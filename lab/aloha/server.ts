/**
 * The lab's Aloha server, following ShowUI-Aloha's HTTP contract: `GET /`
 * answers `Aloha API server is running`. Knobs in
 * `<lab>/state/aloha_knobs.json` (`server`) make it fail, stall or garble.
 * @module
 */
import { applyCommonKnobs, portArg, readKnobs } from "./knobs.ts";
import { logToStderr } from "./_python_log.ts";

/** Options of {@linkcode createAlohaServerHandler}. */
export interface AlohaServerOptions {
  /** The lab directory (knobs live in its `state/`). */
  labDir: string;
}

/** Builds the server's request handler. */
export function createAlohaServerHandler(
  options: AlohaServerOptions,
): (request: Request) => Promise<Response> {
  const { labDir } = options;
  return async (request) => {
    const early = await applyCommonKnobs(await readKnobs(labDir, "server"));
    if (early) return early;
    const { pathname } = new URL(request.url);
    if (request.method === "GET" && pathname === "/") {
      return new Response("Aloha API server is running", {
        headers: { "content-type": "text/html; charset=utf-8" },
      });
    }
    return new Response("Not Found", { status: 404 });
  };
}

if (import.meta.main) {
  const labDir = Deno.env.get("WIN_LAB_DIR");
  if (!labDir) {
    throw new Error("Cannot start aloha-server: WIN_LAB_DIR is not set");
  }
  const port = portArg(Deno.args);
  logToStderr(`Starting Aloha API server on 0.0.0.0:${port}`);
  Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    createAlohaServerHandler({ labDir }),
  );
}
