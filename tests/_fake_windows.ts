/**
 * Unit-test side of the wire: decodes a request as the Windows bootstrap
 * would read it, and frames an answer as the bootstrap writes it (begin
 * marker, CRLF lines, in-band exit trailer). The lab's emulator has its own,
 * independent reading of the wire; this one serves fakes of `ProcessRunner`.
 * @module
 */

/** A request as the bootstrap reads it from stdin. */
export interface DecodedRequest {
  /** The script's kind, from its header line. */
  kind: string;
  /** The full script text. */
  script: string;
  /** The run's data input. */
  input: Record<string, unknown>;
  /** The answer's framing nonce. */
  nonce: string;
}

function fromBase64(text: string): string {
  return new TextDecoder().decode(
    Uint8Array.from(atob(text), (c) => c.charCodeAt(0)),
  );
}

/** Decodes the two stdin lines of a v2 request. */
export function decodeRequest(stdin: Uint8Array | undefined): DecodedRequest {
  const [scriptLine = "", dataLine = ""] = new TextDecoder().decode(stdin)
    .split("\n");
  const script = fromBase64(scriptLine);
  const data = JSON.parse(fromBase64(dataLine)) as {
    nonce: string;
    input: Record<string, unknown>;
  };
  const kind = /^# win-automation script: ([a-z_]+) v2$/.exec(
    script.split("\n", 1)[0] ?? "",
  )?.[1];
  if (!kind) throw new Error(`fake windows: no script header in request`);
  return { kind, script, input: data.input, nonce: data.nonce };
}

/** Frames stdout as the bootstrap writes it, with the exit code in-band. */
export function frameAnswer(
  nonce: string,
  stdout: string,
  exitCode = 0,
): Uint8Array {
  const body = stdout === "" || stdout.endsWith("\n") ? stdout : stdout + "\n";
  return new TextEncoder().encode(
    `wa:${nonce}:begin\r\n${
      body.replaceAll(/\r?\n/g, "\r\n")
    }wa:${nonce}:exit=${exitCode}\r\n`,
  );
}
