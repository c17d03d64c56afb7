import { decodeClixml } from "./clixml.ts";
import { decodeWindowsText, type OemCodePage } from "./oem.ts";

/** What a remote run left, as bytes. */
export interface RawReply {
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** The last bytes of stdout, kept past truncation. @default stdout */
  stdoutTail?: Uint8Array;
}

/** A run's answer, decoded. */
export interface ScriptReply {
  /**
   * The exit code from the `wa:<nonce>:exit=<n>` trailer, or null when there
   * is none: the script did not finish, or never started.
   */
  exitCode: number | null;
  /** Stdout between the begin marker and the trailer, with LF line ends. */
  stdout: string;
  /** Stderr with CLIXML decoded to text (no XML), with LF line ends. */
  stderr: string;
  /**
   * Stdout before the begin marker: what ran before the bootstrap (a profile
   * loaded by sshd's DefaultShell), or everything when there is no marker.
   */
  preamble: string;
}

/** Options for {@linkcode parseReply}. */
export interface ParseReplyOptions {
  /** The OEM code page for lines that are not UTF-8. @default 437 */
  codePage?: OemCodePage;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Decodes a run's stdout and stderr: finds this run's begin marker and exit
 * trailer by its nonce (never trusting ssh's exit status, which sshd's
 * DefaultShell may collapse to 0 or 1), turns CRLF into LF, and decodes
 * CLIXML on stderr. Lines that are not UTF-8 are read in the OEM code page.
 */
export function parseReply(
  raw: RawReply,
  nonce: string,
  options: ParseReplyOptions = {},
): ScriptReply {
  const { codePage = 437 } = options;
  const text = decodeWindowsText(raw.stdout, codePage);
  const begin = new RegExp(`(?:^|\\n)wa:${escape(nonce)}:begin\\r?\\n`);
  const trailer = new RegExp(`wa:${escape(nonce)}:exit=(-?\\d+)\\s*$`);
  const found = begin.exec(text);
  const preamble = found
    ? text.slice(0, found.index + (found[0].startsWith("\n") ? 1 : 0))
    : text;
  let body = found ? text.slice(found.index + found[0].length) : "";
  let exitCode: number | null = null;
  const end = trailer.exec(body);
  if (end) {
    exitCode = Number(end[1]);
    body = body.slice(0, end.index);
  } else if (raw.stdoutTail) {
    const tail = trailer.exec(decodeWindowsText(raw.stdoutTail, codePage));
    if (tail) exitCode = Number(tail[1]);
  }
  return {
    exitCode,
    stdout: lf(body),
    stderr: decodeClixml(lf(decodeWindowsText(raw.stderr, codePage))),
    preamble: lf(preamble),
  };
}

function lf(text: string): string {
  return text.replace(/\r\n/g, "\n");
}
