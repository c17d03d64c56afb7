import { DependencyError, OperationalError } from "../errors/mod.ts";
import {
  type HttpAnswer,
  httpRequest,
  type HttpRequestOptions,
} from "../http/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { Tunnel } from "../ssh/mod.ts";
import { throughTunnel } from "./tunnel.ts";

/** The text ShowUI-Aloha's server answers on `GET /`. */
export const SERVER_HEALTH_TEXT = "Aloha API server is running";

/** Options for {@linkcode AlohaClient}. */
export interface AlohaClientOptions {
  /** Base URL of the Aloha server (port 7887). */
  serverUrl: string;
  /** Base URL of the Aloha client (port 7888), without `/run_task`. */
  clientUrl: string;
  /** Per-request time limit in ms. */
  timeoutMs: number;
  /** Receives retry lines. @default undefined */
  logger?: Logger;
  /** Overrides for the HTTP layer (fetch, sleep, delays) in tests. @default {} */
  http?: Pick<HttpRequestOptions, "fetch" | "sleep" | "retryDelaysMs">;
  /**
   * `aloha.via=ssh`: the SSH connection whose forwards carry every request;
   * the URLs' host:port are then addresses on the Windows side. Without it
   * the URLs are dialled directly. @default undefined
   */
  tunnel?: Tunnel;
}

/** What `/run_task` takes. */
export interface RunTaskInput {
  /** The task in plain words. */
  task: string;
  /** Screen index. @default Aloha's own (0) */
  selectedScreen?: number;
  /** Step limit. @default Aloha's own (50) */
  maxSteps?: number;
  /**
   * Name of a recorded demonstration (`trace_data/<name>.json` beside the
   * Aloha client): Aloha's own `trace_id` field. Left out when not given.
   * Never the tool's trace id.
   */
  demoTrace?: string;
}

function parseJson(answer: HttpAnswer, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(answer.text);
    if (value && typeof value === "object") {
      return value as Record<string, unknown>;
    }
  } catch { /* fall through */ }
  throw new OperationalError(
    `Cannot read ${what}'s answer: HTTP ${answer.status} with a body that is not a JSON object: ${
      JSON.stringify(answer.text.slice(0, 120))
    }`,
    { fields: { state: "error" } },
  );
}

/** The HTTP contract of ShowUI-Aloha's server and client. */
export class AlohaClient {
  #o: AlohaClientOptions;

  constructor(options: AlohaClientOptions) {
    this.#o = options;
  }

  #request(
    url: string,
    what: string,
    init: { method?: string; json?: unknown; retryAfterSend?: boolean } = {},
  ): Promise<HttpAnswer> {
    const send = (fetch?: typeof globalThis.fetch) =>
      httpRequest(url, {
        ...this.#o.http,
        ...(fetch ? { fetch } : {}),
        ...init,
        timeoutMs: this.#o.timeoutMs,
        log: this.#o.logger?.scope("aloha", "aloha.http"),
        what,
      });
    const tunnel = this.#o.tunnel;
    if (!tunnel) return send();
    return throughTunnel(tunnel, url, {
      timeoutMs: this.#o.timeoutMs,
      fetch: this.#o.http?.fetch,
    }, send);
  }

  /** Checks the server's `GET /`; throws DependencyError unless it answers as Aloha does. */
  async serverHealth(): Promise<void> {
    const answer = await this.#request(`${this.#o.serverUrl}/`, "Aloha server");
    if (answer.status !== 200) {
      throw new DependencyError(
        `Cannot use Aloha server at ${this.#o.serverUrl}: HTTP ${answer.status}`,
        { fields: { state: "error", http_status: answer.status } },
      );
    }
    if (!answer.text.includes(SERVER_HEALTH_TEXT)) {
      throw new DependencyError(
        `Cannot use Aloha server at ${this.#o.serverUrl}: unexpected answer ${
          JSON.stringify(answer.text.slice(0, 80))
        }`,
        { fields: { state: "error" } },
      );
    }
  }

  /**
   * Checks that the Aloha client answers HTTP at all (it has no health
   * endpoint; any status means it is up). Returns the status.
   */
  async clientReachable(): Promise<number> {
    const answer = await this.#request(`${this.#o.clientUrl}/`, "Aloha client");
    return answer.status;
  }

  /**
   * Starts a task. Returns Aloha's immediate answer ("Task started"); a
   * running task gives OperationalError with `state=busy`. The request is
   * retried only when the connection failed before anything was sent.
   */
  async runTask(input: RunTaskInput): Promise<Record<string, unknown>> {
    const body: Record<string, unknown> = { task: input.task };
    if (input.selectedScreen !== undefined) {
      body.selected_screen = input.selectedScreen;
    }
    if (input.maxSteps !== undefined) body.max_steps = input.maxSteps;
    if (input.demoTrace !== undefined) body.trace_id = input.demoTrace;
    const answer = await this.#request(
      `${this.#o.clientUrl}/run_task`,
      "Aloha client",
      // Never sent twice once it may have arrived: a second POST would start
      // the task again (or meet "busy" and hide that the first one started).
      { method: "POST", json: body, retryAfterSend: false },
    );
    if (answer.status === 409) {
      throw new OperationalError(
        "Cannot start Aloha task: a task is already running",
        {
          fields: { state: "busy" },
        },
      );
    }
    const json = parseJson(answer, "Aloha client");
    if (answer.status !== 200 || json.status !== "success") {
      throw new OperationalError(
        `Cannot start Aloha task: HTTP ${answer.status} ${
          JSON.stringify(json.message ?? "")
        }`,
        { fields: { state: "error", http_status: answer.status } },
      );
    }
    return json;
  }

  /** Asks the client to stop its task; returns whether one was running. */
  async stop(): Promise<boolean> {
    const answer = await this.#request(
      `${this.#o.clientUrl}/stop`,
      "Aloha client",
      {
        method: "POST",
      },
    );
    return answer.status === 200;
  }
}
