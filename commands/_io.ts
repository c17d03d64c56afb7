import type { Fields } from "../lib/log/mod.ts";
import type { Logger } from "../lib/log/mod.ts";
import type { Redactor } from "../lib/redact/mod.ts";

/** The process edges a command may touch: output streams and the environment. */
export interface Io {
  /** Writes one payload line (newline added) to stdout. */
  stdout: (text: string) => void;
  /** Writes raw text to stdout, as is. */
  stdoutRaw: (text: string) => void;
  /** Writes one line (newline added) to stderr. */
  stderr: (text: string) => void;
  /** Writes raw text to stderr, as is. */
  stderrRaw: (text: string) => void;
  /** Reads one environment variable; injected by main.ts. */
  getEnv: (name: string) => string | undefined;
}

/** What main.ts learns from a run: the op for error lines, the logger, the code. */
export interface RunState {
  /** The op of the running command (e.g. `windows.exec`). */
  op: string;
  /** The logger, once config is loaded. */
  logger?: Logger;
  /** The exit code a command chose without throwing. */
  exitCode?: number;
  /** Fields every log line of this run carries. */
  context: Fields;
  /** Whether structured logs are suppressed (`--raw`). */
  raw?: boolean;
  /** The redactor of the resolved config's secrets, once config is loaded. */
  redactor?: Redactor;
  /** Whether `--debug` was given before the subcommand. */
  debug?: boolean;
}

/** The global options every command sees. */
export type Globals = () => {
  config?: string;
  /** The command's `--target`, when it has one. */
  target?: string;
};

/** What every command implementation receives first. */
export interface Cx {
  /** Output streams and the environment. */
  io: Io;
  /** What main.ts learns from the run. */
  state: RunState;
  /** The global options given before the subcommand. */
  globals: Globals;
}
