import { errorMessage } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { Redactor } from "../redact/mod.ts";
import type { JobContext } from "./tasks.ts";

/** Which stream of the remote command a line came from. */
export type LineStream = "stdout" | "stderr";

/** What a job log line carries besides its text (stored by Hatchet as JSON). */
export interface LineMeta {
  /** The line's number in this attempt, from 0: readers order and dedupe by it. */
  seq: number;
  /** The command's stream; `job` for the worker's own entry at the start. */
  stream: LineStream | "job";
  /** The line went on in the next entry (it was longer than one entry may be). */
  cont?: true;
  /** The line was empty (Hatchet refuses an empty message; a space is sent). */
  empty?: true;
  /** The start entry: the Linux host holding the job's artifact root. */
  artifact_host?: string;
  /** The start entry: the job's artifact root on that host. */
  artifact_root?: string;
  /** The notice that this many lines were not sent (past `maxLines`). */
  dropped?: number;
}

/** Sends one entry to the job's Hatchet task log. */
export type SendLine = (message: string, meta: LineMeta) => Promise<void>;

/**
 * Characters one entry may hold: the SDK drops a longer message without
 * sending it (`putLog`, "log is too long, skipping"; the engine itself takes
 * up to 10 000).
 */
export const MAX_ENTRY_CHARS = 1000;

/** Lines of one attempt sent at most; then one line says how many were not. */
export const MAX_JOB_LINES = 10_000;

/** Options for {@linkcode jobLines}. */
export interface JobLinesOptions {
  /** Redacts each line before it is cut or sent. */
  redactor: Redactor;
  /** Lines sent at most. @default MAX_JOB_LINES */
  maxLines?: number;
  /** Told when an entry could not be sent (the job goes on). @default undefined */
  onError?: (error: unknown) => void;
}

/** A job's output lines on their way to its Hatchet task log. */
export interface JobLines {
  /** Queues one line (without its line end). */
  line(stream: LineStream, text: string): void;
  /**
   * Queues the attempt's start entry, `artifact_host=<host>
   * artifact_root=<root>` (stream `job`, both also in its meta): where the
   * job's artifacts are, for readers on any host, whatever the job's end.
   */
  start(artifacts: { host: string; root: string }): void;
  /** Queues each line of `text` (LF or CRLF ends; a final line end adds no line). */
  text(stream: LineStream, text: string): void;
  /** Resolves once every queued line was handed to Hatchet (or failed). */
  flush(): Promise<void>;
  /** Lines queued so far (those past the cap included). */
  readonly count: number;
}

/**
 * The one place a job's output lines go to Hatchet's task log: each line is
 * redacted first, then cut into entries of at most {@linkcode MAX_ENTRY_CHARS}
 * (never inside a surrogate pair), numbered (`seq`) and sent one after the
 * other, so the engine stores them in order. Past `maxLines` one more line
 * says how many were left out (the artifacts keep the full output). A failed
 * send loses that entry, never the job.
 */
export function jobLines(send: SendLine, options: JobLinesOptions): JobLines {
  const { redactor, maxLines = MAX_JOB_LINES, onError } = options;
  let chain = Promise.resolve();
  let seq = 0;
  let count = 0;
  let skipped = 0;
  const enqueue = (message: string, meta: LineMeta) => {
    chain = chain.then(() => send(message, meta)).catch((error) =>
      onError?.(error)
    );
  };
  const sink: JobLines = {
    line(stream, text) {
      count++;
      if (count > maxLines) {
        skipped++;
        return;
      }
      const clean = redactor.redact(text);
      if (clean === "") {
        enqueue(" ", { seq: seq++, stream, empty: true });
        return;
      }
      const parts = cut(clean, MAX_ENTRY_CHARS);
      parts.forEach((part, i) => {
        const meta: LineMeta = { seq: seq++, stream };
        if (i < parts.length - 1) meta.cont = true;
        enqueue(part, meta);
      });
    },
    start({ host, root }) {
      const [h, r] = [redactor.redact(host), redactor.redact(root)];
      const message = `artifact_host=${h} artifact_root=${r}`;
      if (message.length > MAX_ENTRY_CHARS) return; // never sent whole
      enqueue(message, {
        seq: seq++,
        stream: "job",
        artifact_host: h,
        artifact_root: r,
      });
    },
    text(stream, text) {
      if (text === "") return;
      const lines = text.replace(/\r?\n$/, "").split(/\r?\n/);
      for (const l of lines) sink.line(stream, l);
    },
    async flush() {
      if (skipped > 0) {
        const n = skipped;
        skipped = 0;
        enqueue(
          `[win-automation: ${n} more lines not sent to the task log; the artifacts hold the full output]`,
          { seq: seq++, stream: "stderr", dropped: n },
        );
      }
      await chain;
    },
    get count() {
      return count;
    },
  };
  return sink;
}

/** Cuts `text` into pieces of at most `max` UTF-16 units, never inside a surrogate pair. */
function cut(text: string, max: number): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + max, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    parts.push(text.slice(i, end));
    i = end;
  }
  return parts;
}

/**
 * A job's lines for its Hatchet task log (`ctx.log`; nowhere without one).
 * The first entry that cannot be sent is logged once as a warning.
 */
export function jobLinesOf(
  ctx: Pick<JobContext, "log">,
  options: { logger: Logger; redactor: Redactor },
): JobLines {
  const { logger, redactor } = options;
  let warned = false;
  return jobLines(ctx.log ?? (() => Promise.resolve()), {
    redactor,
    onError: (error) => {
      if (warned) return;
      warned = true;
      logger.scope("hatchet", "worker").warn(
        "cannot send a line to the job's task log; the artifacts keep the output",
        { err: errorMessage(error) },
      );
    },
  });
}
