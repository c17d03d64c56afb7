/**
 * The on-disk layout of one captured case, shared by `scripts/vm-capture`
 * (which writes it) and the replay test (which reads it):
 * `<dir>/<case>/stdout.bin`, `stderr.bin`, `meta.json`, and `stdout_tail.bin`
 * when stdout was cut. Secrets never reach the disk: every secret value is
 * replaced by `<redacted>` in meta.json and in the raw bytes.
 * @module
 */

/** What the capture learned about the Windows it ran against. */
export interface WindowsInfo {
  os_caption: string | null;
  os_build: string | null;
  ps_version: string | null;
  /** sshd's DefaultShell; "" when unset (cmd.exe). */
  default_shell: string | null;
}

/** meta.json of one case. */
export interface CaptureMeta {
  /** The case name (the folder is this name, or `<case>__<variant>`). */
  case: string;
  /** The script kind, or "raw" for a command line sent outside the bootstrap. */
  kind: string;
  /** The kind's input (exec: `{command, run_id}`), or `{command}` for raw. */
  input: Record<string, unknown>;
  /** The run's framing nonce; null for raw cases. */
  nonce: string | null;
  /** ssh's exit status. */
  ssh_exit_code: number;
  /** ISO 8601 time of the capture; null for a fixture made by hand. */
  captured_at: string | null;
  /** The Windows the case ran on. */
  windows: WindowsInfo;
  /** The tool version that captured it. */
  tool_version: string;
  /** Where the bytes come from. */
  source: "vm-capture" | "documented-shape";
  /** For documented shapes: what each shape is taken from. */
  sources?: string[];
  /** A documented variant of the case (e.g. another DefaultShell). */
  variant?: string;
  /** Whether stdout was cut (then stdout_tail.bin holds its last bytes). */
  truncated?: boolean;
  /** Files in which a secret was replaced by `<redacted>`. */
  redacted?: string[];
}

/** The bytes of one run. */
export interface CapturedBytes {
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** The last bytes of stdout, kept past truncation. */
  stdoutTail?: Uint8Array;
}

const REDACTED = "<redacted>";

/** `bytes` with every occurrence of `needle` replaced by `by`. */
function replaceBytes(
  bytes: Uint8Array,
  needle: Uint8Array,
  by: Uint8Array,
): Uint8Array {
  if (needle.length === 0) return bytes;
  let found = false;
  const out: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    let match = i + needle.length <= bytes.length;
    for (let j = 0; match && j < needle.length; j++) {
      if (bytes[i + j] !== needle[j]) match = false;
    }
    if (match) {
      found = true;
      out.push(...by);
      i += needle.length;
    } else {
      out.push(bytes[i]!);
      i++;
    }
  }
  return found ? new Uint8Array(out) : bytes;
}

/** `bytes` with every secret replaced; the same array when none occurs. */
export function redactBytes(bytes: Uint8Array, secrets: string[]): Uint8Array {
  const enc = new TextEncoder();
  let out = bytes;
  for (const secret of secrets.filter((s) => s !== "")) {
    out = replaceBytes(out, enc.encode(secret), enc.encode(REDACTED));
  }
  return out;
}

/** `text` with every secret (and its JSON-escaped form) replaced. */
export function redactText(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets.filter((s) => s !== "")) {
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/**
 * Writes one case to `<root>/<folder>/` (the folder defaults to the case
 * name), with every secret redacted from every file.
 */
export async function writeCapture(
  root: string,
  capture: { meta: CaptureMeta; bytes: CapturedBytes; folder?: string },
  secrets: string[],
): Promise<string> {
  const { meta, bytes } = capture;
  const dir = `${root}/${capture.folder ?? meta.case}`;
  await Deno.mkdir(dir, { recursive: true });
  const files: [string, Uint8Array | undefined][] = [
    ["stdout.bin", bytes.stdout],
    ["stderr.bin", bytes.stderr],
    ["stdout_tail.bin", meta.truncated ? bytes.stdoutTail : undefined],
  ];
  const redacted: string[] = [];
  for (const [name, data] of files) {
    if (data === undefined) continue;
    const clean = redactBytes(data, secrets);
    if (clean !== data) redacted.push(name);
    await Deno.writeFile(`${dir}/${name}`, clean);
  }
  const plain = JSON.stringify(meta);
  if (redactText(plain, secrets) !== plain) redacted.push("meta.json");
  const json = JSON.stringify(
    { ...meta, ...(redacted.length ? { redacted } : {}) },
    null,
    2,
  );
  await Deno.writeTextFile(
    `${dir}/meta.json`,
    redactText(json, secrets) + "\n",
  );
  return dir;
}
