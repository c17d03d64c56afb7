/**
 * The lab's Aloha client, following ShowUI-Aloha's HTTP contract:
 * `POST /run_task` starts a task that "runs" for `task_ms`, `POST /stop` ends
 * it. It logs to stderr in Python logging format, as the real Flask client
 * does, ending each task with `process_input thread finished.`. Every
 * `/run_task` body is appended to `<lab>/state/aloha_requests.jsonl`. Knobs in
 * `<lab>/state/aloha_knobs.json` (`client`) make it busy, fail, stall or garble.
 * @module
 */
import { applyCommonKnobs, portArg, readKnobs } from "./knobs.ts";
import { appendJsonLine } from "../linux/mod.ts";
import { logToStderr } from "./_python_log.ts";

/** The log line that ends every task, finished or stopped. */
export const FINISHED_LINE = "process_input thread finished.";

/** Options of {@linkcode createAlohaClientHandler}. */
export interface AlohaClientOptions {
  /** The lab directory (knobs and the request log live in its `state/`). */
  labDir: string;
  /** Writes one log message. @default a Python-format line on stderr */
  log?: (message: string) => void;
}

const error = (status: number, message: string) =>
  Response.json({ status: "error", message }, { status });

/** Builds the client's request handler; it holds the one running task. */
export function createAlohaClientHandler(
  options: AlohaClientOptions,
): (request: Request) => Promise<Response> {
  const { labDir, log = logToStderr } = options;
  let running: ReturnType<typeof setTimeout> | null = null;
  const finish = () => {
    if (running === null) return;
    clearTimeout(running);
    running = null;
    log(FINISHED_LINE);
  };
  return async (request) => {
    const knobs = await readKnobs(labDir, "client");
    const early = await applyCommonKnobs(knobs);
    if (early) return early;
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/run_task") {
      const text = await request.text();
      const body = parseBody(text);
      await appendJsonLine(
        `${labDir}/state/aloha_requests.jsonl`,
        body ?? text,
      );
      if (knobs.mode === "busy") return error(409, "A task is already running");
      const task = body?.task;
      if (typeof task !== "string" || task === "") {
        return error(400, "Missing required field(s): task");
      }
      if (running !== null) return error(409, "A task is already running");
      log("process_input thread started.");
      log(`[loop_msg] type=user content=${task}`);
      log("[loop_msg] type=assistant content=Planning the next action");
      running = setTimeout(finish, knobs.task_ms);
      return Response.json({
        status: "success",
        message: "Task started",
        task,
      });
    }
    if (request.method === "POST" && pathname === "/stop") {
      if (running === null) return error(400, "No active task to stop");
      finish();
      return Response.json({ status: "success", message: "Stop signal sent" });
    }
    return new Response("Not Found", { status: 404 });
  };
}

function parseBody(text: string): Record<string, unknown> | null {
  try {
    const body = JSON.parse(text);
    return typeof body === "object" && body !== null && !Array.isArray(body)
      ? body
      : null;
  } catch {
    return null;
  }
}

if (import.meta.main) {
  const labDir = Deno.env.get("WIN_LAB_DIR");
  if (!labDir) {
    throw new Error("Cannot start aloha-client: WIN_LAB_DIR is not set");
  }
  const port = portArg(Deno.args);
  logToStderr(`Starting Client Flask on 0.0.0.0:${port}`);
  Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    createAlohaClientHandler({ labDir }),
  );
}
