/**
 * Splits a byte stream into lines the way .NET's `TextReader.ReadLine` does
 * (what Windows PowerShell uses to read a native command's redirected output,
 * `ProcessStreamReader` in PowerShell/PowerShell
 * `src/System.Management.Automation/engine/NativeCommandProcessor.cs`): a line
 * ends at CR, LF or CRLF (also when CR and LF arrive in different chunks), and
 * text after the last line end is a line of its own at the end of the stream.
 * Works on bytes, so it is exact for any single-byte code page.
 * @module
 */
export class LineSplitter {
  #pending: number[] = [];
  #afterCr = false;

  /** Feeds a chunk; returns the lines it completed (without line ends). */
  push(chunk: Uint8Array): Uint8Array[] {
    const lines: Uint8Array[] = [];
    for (const byte of chunk) {
      if (byte === 0x0a && this.#afterCr) {
        this.#afterCr = false;
        continue;
      }
      this.#afterCr = byte === 0x0d;
      if (byte === 0x0a || byte === 0x0d) {
        lines.push(Uint8Array.from(this.#pending));
        this.#pending = [];
      } else {
        this.#pending.push(byte);
      }
    }
    return lines;
  }

  /** Ends the stream; returns the unterminated last line, if any. */
  end(): Uint8Array[] {
    if (this.#pending.length === 0) return [];
    const last = Uint8Array.from(this.#pending);
    this.#pending = [];
    return [last];
  }
}
