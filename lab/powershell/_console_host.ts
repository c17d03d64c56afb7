/**
 * The 5.1 console host's rendering of what reaches it (not `[Console]::Out`):
 * pipeline output formatted and encoded in the OEM code page with CRLF (the
 * host captured its stdout writer at start, before any script could change
 * `[Console]::OutputEncoding`), and, with stderr redirected, the other streams
 * serialized as CLIXML (ConsoleHostUserInterface.cs, the `ErrorFormat ==
 * XML` branches). See lab/README.md, "PowerShell 5.1 host".
 * @module
 */
import {
  CLIXML_HEADER,
  clixmlInformation,
  clixmlProgress,
  clixmlStreamString,
  OBJS_CLOSE,
  OBJS_OPEN,
} from "./clixml_write.ts";
import { encodeCodePage } from "./code_pages.ts";
import { errorView, type PsRecord } from "./_records.ts";
import type { RawIo } from "./_shell_io.ts";

/** The progress record 5.1 writes while it prepares modules. */
export const MODULES_PROGRESS = "Preparing modules for first use.";

/** Options of {@linkcode ConsoleHost}. */
export interface ConsoleHostOptions {
  /** The OEM code page of host-written text. @default 437 */
  codePage?: 437 | 850;
}

/** Renders records the way 5.1's console host does. */
export class ConsoleHost {
  #raw: RawIo;
  #codePage: 437 | 850;
  #xmlOpen = false;
  #refId = 0;

  constructor(raw: RawIo, options: ConsoleHostOptions = {}) {
    this.#raw = raw;
    this.#codePage = options.codePage ?? 437;
  }

  /** Whether non-output streams go to stderr as CLIXML. */
  get xml(): boolean {
    return this.#raw.stderrRedirected;
  }

  /**
   * Starts the host: with stderr redirected, the module-loading progress
   * record comes first (modeled on every invocation, pessimistically).
   */
  async start(): Promise<void> {
    if (this.xml) {
      await this.#xml(clixmlProgress(this.#refId++, MODULES_PROGRESS));
    }
  }

  /** Writes one record. */
  async write(record: PsRecord): Promise<void> {
    switch (record.kind) {
      case "output":
        return await this.#line(record.text);
      case "information":
        if (this.xml) {
          await this.#xml(clixmlInformation(this.#refId, record.message));
          this.#refId += 2;
        }
        return await this.#line(record.message);
      case "error":
        if (!this.xml) {
          const text = errorView(record).map((l) => l + "\r\n").join("");
          return await this.#raw.stderr(this.#encode(text));
        }
        return await this.#xml(
          errorView(record).map((line) =>
            clixmlStreamString("Error", line + "\r\n")
          ).join(""),
        );
      case "warning":
      case "verbose":
      case "debug":
        if (this.xml) {
          return await this.#xml(
            clixmlStreamString(record.kind, record.message),
          );
        }
        return await this.#line(
          `${record.kind.toUpperCase()}: ${record.message}`,
        );
    }
  }

  /** Text a native program wrote to the stderr it inherited (not a record). */
  async nativeStderr(text: string): Promise<void> {
    await this.#raw.stderr(this.#encode(text.replace(/\r?\n/g, "\r\n")));
  }

  /** Ends the CLIXML document, if one was started. */
  async close(): Promise<void> {
    if (this.#xmlOpen) await this.#raw.stderr(this.#encode(OBJS_CLOSE));
    this.#xmlOpen = false;
  }

  async #line(text: string): Promise<void> {
    const lines = text.split(/\r?\n/).map((line) => line + "\r\n").join("");
    await this.#raw.stdout(this.#encode(lines));
  }

  async #xml(fragment: string): Promise<void> {
    const head = this.#xmlOpen ? "" : `${CLIXML_HEADER}\r\n${OBJS_OPEN}`;
    this.#xmlOpen = true;
    await this.#raw.stderr(this.#encode(head + fragment));
  }

  #encode(text: string): Uint8Array {
    return encodeCodePage(text, this.#codePage);
  }
}
