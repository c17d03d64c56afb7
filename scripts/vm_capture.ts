/**
 * `scripts/vm-capture --out DIR [--config FILE] [--mutate]`: runs every safe
 * case of scripts/_vm_cases.ts against a real Windows VM, configured exactly
 * as for the CLI (`WIN_AUTOMATION_*` env or `--config`, through the CLI's own
 * context: same config loading, same SshClient and ssh options), and stores
 * the raw bytes of each answer in `DIR/<case>/` (scripts/_capture_store.ts).
 * Prints `case=<name> state=captured|failed|skipped ...` per case, then
 * `summary ...`; exits 0 when every case was captured.
 * @module
 */
import { createContext } from "../commands/_context.ts";
import type { Io, RunState } from "../commands/_io.ts";
import { secretsOf } from "../lib/config/mod.ts";
import {
  DependencyError,
  DomainError,
  errorMessage,
} from "../lib/errors/mod.ts";
import { encodeLine, type Fields } from "../lib/log/mod.ts";
import {
  buildRequest,
  parseReply,
  REMOTE_COMMAND,
} from "../lib/powershell/mod.ts";
import type { RunResult } from "../lib/process/mod.ts";
import type { SshClient } from "../lib/ssh/mod.ts";
import { buildInfo } from "../lib/version/mod.ts";
import {
  type CaptureMeta,
  type WindowsInfo,
  writeCapture,
} from "./_capture_store.ts";
import { capturePlan, type CaptureStep, NEVER_CAPTURED } from "./_vm_cases.ts";

/** Options for {@linkcode vmCapture}. */
export interface VmCaptureOptions {
  /** Where the case folders go. */
  out: string;
  /** The `--config` file. @default undefined (env and WIN_AUTOMATION_CONFIG) */
  configPath?: string;
  /** Also run the state-changing cases. @default false */
  mutate?: boolean;
  /** Reads one environment variable. */
  getEnv: (name: string) => string | undefined;
  /** Values to redact besides the config's secrets. @default [] */
  extraSecrets?: string[];
  /** Writes one line to stdout. */
  print: (line: string) => void;
  /** Names this capture's throwaway things. @default 8 random hex digits */
  tag?: string;
}

const NO_NONCE = "0".repeat(32);
const UNKNOWN_WINDOWS: WindowsInfo = {
  os_caption: null,
  os_build: null,
  ps_version: null,
  default_shell: null,
};

function randomTag(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

async function runStep(
  ssh: SshClient,
  step: CaptureStep,
  timeoutMs: number,
): Promise<{ result: RunResult; nonce: string | null }> {
  if (step.kind === "raw") {
    return { result: await ssh.run(step.command, { timeoutMs }), nonce: null };
  }
  const request = buildRequest(step.kind, step.input);
  const result = await ssh.run(REMOTE_COMMAND, {
    stdin: request.stdin,
    timeoutMs,
    maxOutputBytes: step.maxOutputBytes,
  });
  return { result, nonce: request.nonce };
}

function windowsOf(stdout: string): WindowsInfo {
  try {
    const v = JSON.parse(stdout.trim().split("\n").pop() ?? "") as Record<
      string,
      unknown
    >;
    const s = (k: string) => typeof v[k] === "string" ? v[k] as string : null;
    return {
      os_caption: s("os_caption"),
      os_build: s("os_build"),
      ps_version: s("ps_version"),
      default_shell: s("default_shell"),
    };
  } catch {
    return UNKNOWN_WINDOWS;
  }
}

/** Runs one capture; returns the exit code. */
export async function vmCapture(options: VmCaptureOptions): Promise<number> {
  const { out, configPath, mutate = false, getEnv, print } = options;
  const line = (fields: Fields) => print(encodeLine(fields));
  const io: Io = {
    stdout: print,
    stdoutRaw: print,
    stderr: () => {},
    stderrRaw: () => {},
    getEnv,
  };
  const state: RunState = { op: "vm.capture", context: {} };
  const ctx = await createContext(io, state, {
    op: "vm.capture",
    configPath,
    raw: true,
  });
  const secrets = [...secretsOf(ctx.config), ...(options.extraSecrets ?? [])];
  const ssh = ctx.ssh();
  const build = buildInfo();
  const toolVersion = `${build.version}+${build.commit}`;
  const tag = options.tag ?? randomTag();
  await Deno.mkdir(out, { recursive: true });
  for (const [kind, reason] of Object.entries(NEVER_CAPTURED)) {
    line({ kind, state: "never_captured", reason });
  }
  let windows = UNKNOWN_WINDOWS;
  const captured = new Set<string>();
  const count = { captured: 0, failed: 0, skipped: 0 };
  for (const step of capturePlan({ tag, mutate })) {
    if ("requires" in step && step.requires && !captured.has(step.requires)) {
      count.skipped++;
      line({
        case: step.case,
        state: "skipped",
        reason: `${step.requires} was not captured`,
      });
      continue;
    }
    try {
      const { result, nonce } = await runStep(ssh, step, ctx.config.timeoutMs);
      const reply = parseReply(result, nonce ?? NO_NONCE);
      if (step.case === "kind_version") windows = windowsOf(reply.stdout);
      const meta: CaptureMeta = {
        case: step.case,
        kind: step.kind,
        input: step.kind === "raw"
          ? { command: step.command }
          : step.input as Record<string, unknown>,
        nonce,
        ssh_exit_code: result.code,
        captured_at: new Date().toISOString(),
        windows,
        tool_version: toolVersion,
        source: "vm-capture",
        ...(result.truncated ? { truncated: true } : {}),
      };
      await writeCapture(out, {
        meta,
        bytes: {
          stdout: result.stdout,
          stderr: result.stderr,
          stdoutTail: result.stdoutTail,
        },
      }, secrets);
      captured.add(step.case);
      count.captured++;
      line({
        case: step.case,
        state: "captured",
        kind: step.kind,
        ssh_exit_code: result.code,
        exit_code: nonce === null ? "none" : reply.exitCode ?? "none",
        truncated: result.truncated || undefined,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      count.failed++;
      line({ case: step.case, state: "failed", error: error.message });
      if (error instanceof DependencyError && captured.size === 0) {
        line({ summary: "aborted", ...count, out });
        return error.exitCode;
      }
    }
  }
  line({
    summary: count.failed + count.skipped ? "incomplete" : "ok",
    ...count,
    out,
  });
  return count.failed + count.skipped ? 1 : 0;
}

const USAGE = "usage: scripts/vm-capture --out DIR [--config FILE] [--mutate]";

/** Parses the command line; throws a one-line usage error. */
export function parseCaptureArgs(
  args: string[],
): { out: string; configPath?: string; mutate: boolean } | "help" {
  let out: string | undefined;
  let configPath: string | undefined;
  let mutate = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--mutate") mutate = true;
    else if (arg === "--out" || arg === "--config") {
      const value = args[++i];
      if (value === undefined || value === "") {
        throw new Error(`usage error: ${arg} needs a value (${USAGE})`);
      }
      if (arg === "--out") out = value;
      else configPath = value;
    } else throw new Error(`usage error: unknown argument "${arg}" (${USAGE})`);
  }
  if (out === undefined) {
    throw new Error(`usage error: --out is required (${USAGE})`);
  }
  return { out, configPath, mutate };
}

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|WS_PATH/i;

async function main(args: string[]): Promise<number> {
  const enc = new TextEncoder();
  const print = (text: string) =>
    Deno.stdout.writeSync(enc.encode(text + "\n"));
  const fail = (text: string) => Deno.stderr.writeSync(enc.encode(text + "\n"));
  let parsed;
  try {
    parsed = parseCaptureArgs(args);
  } catch (error) {
    fail(errorMessage(error));
    return 2;
  }
  if (parsed === "help") {
    print(USAGE);
    return 0;
  }
  const env = Deno.env.toObject();
  const extraSecrets = Object.entries(env)
    .filter(([k, v]) =>
      k.startsWith("WIN_AUTOMATION_") && SECRET_NAME.test(k) && v
    )
    .map(([, v]) => v);
  try {
    return await vmCapture({
      ...parsed,
      getEnv: (name) => env[name],
      extraSecrets,
      print,
    });
  } catch (error) {
    if (error instanceof DomainError) {
      fail(
        error.message.startsWith("config error")
          ? error.message
          : `Cannot capture: ${error.message}`,
      );
      return error.exitCode;
    }
    fail(
      `Cannot capture: ${errorMessage(error)}`,
    );
    return 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
