/**
 * A job's command output as its result carries it: each stream cut at
 * {@linkcode MAX_OUTPUT_BYTES} UTF-8 bytes with a flag saying so. The worker
 * cuts what it returns to the engine ({@linkcode capText}); readers rebuild
 * the same shape from the job's task log when the engine kept no output
 * (a failed task), with {@linkcode outputOfLines}.
 * @module
 */
import type { JobLogLine } from "./logs.ts";

/** Bytes (UTF-8) of each stream a job's result keeps: 1 MiB. */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** One stream's text, cut or whole. */
export interface CappedText {
  text: string;
  /** Whether bytes past the cap were left out. */
  truncated: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character.
 * Redact before cutting, so no secret is cut in half out of the redactor's
 * sight.
 */
export function capText(
  text: string,
  maxBytes: number = MAX_OUTPUT_BYTES,
): CappedText {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new RangeError(`capText() needs a byte count, got ${maxBytes}`);
  }
  // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) to a character's first byte.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: decoder.decode(bytes.subarray(0, end)), truncated: true };
}

/**
 * JSON bytes one stream may take in a job's output: the engine takes a task's
 * output in one gRPC message of at most 4 MiB (its `GRPCMaxMsgSize` and the
 * SDK's default), and JSON escapes a control character as 6 bytes.
 */
export const MAX_OUTPUT_JSON_BYTES = MAX_OUTPUT_BYTES * 3 / 2;

/**
 * {@linkcode capText}, then cut further while the text's JSON form is longer
 * than `maxJsonBytes` (output full of control characters), so the output
 * always reaches the engine.
 */
export function capTextForJson(
  text: string,
  maxBytes: number = MAX_OUTPUT_BYTES,
  maxJsonBytes: number = MAX_OUTPUT_JSON_BYTES,
): CappedText {
  let capped = capText(text, maxBytes);
  for (;;) {
    const json = encoder.encode(JSON.stringify(capped.text)).length;
    if (json <= maxJsonBytes) return capped;
    const size = encoder.encode(capped.text).length;
    const next = Math.floor(size * maxJsonBytes / json * 0.95);
    capped = { text: capText(capped.text, next).text, truncated: true };
  }
}

/** The output a job's task log holds for its last attempt. */
export interface LogOutput {
  stdout: CappedText;
  stderr: CappedText;
  /** The Linux host holding the job's artifact root, when the worker said. */
  artifact_host?: string;
  /** The job's artifact root on that host, when the worker said. */
  artifact_root?: string;
  /** The attempt read (1 for the first); 0 when the log is empty. */
  attempt: number;
}

/**
 * Rebuilds a job's stdout and stderr from its task log lines: only the last
 * attempt's (a retry re-attaches and sends the run's lines again), each line
 * with its `\n` as the worker joined them, each stream cut at `maxBytes`.
 * The worker's notice that lines were left out of the log (`dropped`) marks
 * both streams truncated and is not part of either. The attempt's
 * `artifact_host` entry names where its artifacts are.
 */
export function outputOfLines(
  lines: readonly JobLogLine[],
  maxBytes: number = MAX_OUTPUT_BYTES,
): LogOutput {
  const attempt = lines.reduce((max, l) => Math.max(max, l.attempt), 0);
  const parts = { stdout: [] as string[], stderr: [] as string[] };
  const size = { stdout: 0, stderr: 0 };
  let dropped = false;
  const out: LogOutput = {
    stdout: { text: "", truncated: false },
    stderr: { text: "", truncated: false },
    attempt,
  };
  for (const line of lines) {
    if (line.attempt !== attempt) continue;
    if (line.artifact_host !== undefined) {
      out.artifact_host = line.artifact_host;
      out.artifact_root = line.artifact_root;
      continue;
    }
    if (line.dropped !== undefined) {
      dropped = true;
      continue;
    }
    if (line.stream !== "stdout" && line.stream !== "stderr") continue;
    const s = line.stream;
    // Past the cap already: capText() below says truncated.
    if (size[s] > maxBytes) continue;
    const piece = `${line.text}\n`;
    parts[s].push(piece);
    size[s] += encoder.encode(piece).length;
  }
  for (const s of ["stdout", "stderr"] as const) {
    const capped = capText(parts[s].join(""), maxBytes);
    out[s] = { text: capped.text, truncated: capped.truncated || dropped };
  }
  return out;
}
