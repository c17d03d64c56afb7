import { readJson } from "../linux/mod.ts";

/** How an emulated Aloha process answers. */
export type AlohaMode = "ok" | "busy" | "error500" | "malformed" | "slow";

/** One process's knobs. */
export interface AlohaProcessKnobs {
  /** @default "ok" */
  mode?: AlohaMode;
  /** Wait before answering in "slow" mode. @default 0 */
  delay_ms?: number;
  /** How long a client task runs (client only). @default 1500 */
  task_ms?: number;
}

/** `<lab>/state/aloha_knobs.json`, read on every request. */
export interface AlohaKnobs {
  server?: AlohaProcessKnobs;
  client?: AlohaProcessKnobs;
}

/** The knobs file's path. */
export function knobsPath(labDir: string): string {
  return `${labDir}/state/aloha_knobs.json`;
}

/** Reads one process's knobs (missing file: defaults). */
export async function readKnobs(
  labDir: string,
  which: "server" | "client",
): Promise<Required<AlohaProcessKnobs>> {
  const knobs = await readJson<AlohaKnobs>(knobsPath(labDir), {});
  const { mode = "ok", delay_ms = 0, task_ms = 1500 } = knobs[which] ?? {};
  return { mode, delay_ms, task_ms };
}

/**
 * Applies the modes every endpoint shares: "slow" waits, "error500" and
 * "malformed" answer at once. Returns the response to send, or null to go on.
 */
export async function applyCommonKnobs(
  knobs: Required<AlohaProcessKnobs>,
): Promise<Response | null> {
  if (knobs.mode === "slow") {
    await new Promise((resolve) => setTimeout(resolve, knobs.delay_ms));
  }
  if (knobs.mode === "error500") {
    return Response.json(
      { status: "error", message: "Internal Server Error" },
      { status: 500 },
    );
  }
  if (knobs.mode === "malformed") {
    return new Response("{not json", {
      headers: { "content-type": "application/json" },
    });
  }
  return null;
}

/** Reads `--port N` from arguments. */
export function portArg(args: string[]): number {
  const i = args.indexOf("--port");
  const port = Number(args[i + 1]);
  if (i < 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `Cannot start: expected "--port N", got "${args.join(" ")}"`,
    );
  }
  return port;
}
