/**
 * One of the session's output pipes to sshd. After the ssh connection drops,
 * sshd is gone and writes fail; on Windows the session's processes keep
 * running and their writes to the broken pipe succeed silently (.NET
 * Framework's `__ConsoleStream.WriteFileNative` treats ERROR_NO_DATA and
 * ERROR_BROKEN_PIPE as success, dotnet/referencesource
 * `mscorlib/system/io/__consolestream.cs`). So the session program keeps
 * reading what its command writes and drops it, instead of passing the
 * failure on.
 * @module
 */

/** Where the bytes go: the process's stdout or stderr. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<number>;
}

/** A pipe to sshd that swallows writes once the connection is gone. */
export class SessionOutput {
  #sink: ByteSink;
  #gone = false;

  /** @param sink the pipe to sshd */
  constructor(sink: ByteSink) {
    this.#sink = sink;
  }

  /** Whether a write failed (the connection is gone). */
  get gone(): boolean {
    return this.#gone;
  }

  /** Writes all of `bytes`, or nothing once the pipe is broken. */
  async write(bytes: Uint8Array): Promise<void> {
    let rest = bytes;
    while (!this.#gone && rest.length > 0) {
      try {
        rest = rest.subarray(await this.#sink.write(rest));
      } catch {
        this.#gone = true;
      }
    }
  }
}

/** Reads a stream to its end, handing each chunk to `onChunk`. */
export async function pump(
  stream: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  for await (const chunk of stream) await onChunk(chunk);
}
