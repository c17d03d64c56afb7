/**
 * The file cmdlets of the user-command subset, on the lab file system, with
 * 5.1's encodings: `Set-Content`/`Add-Content` default to the ANSI code page
 * (1252 here), `Out-File` (and `>`) to UTF-16LE with a BOM, `Get-Content`
 * reads a BOM or else ANSI. Sources: lab/README.md.
 * @module
 */
import { dirname } from "node:path";
import { decodeCodePage, encodeCodePage } from "./code_pages.ts";
import {
  EDGE_PATH,
  mapWindowsPath,
  OS_FACTS,
  Unsupported,
  type WindowsKnobs,
  WINGET_PATH,
} from "../windows/mod.ts";
import { list, parseParams, scalar } from "./_params.ts";
import type { StepResult } from "./_shell_io.ts";
import type { Statement } from "./_tokenize.ts";
import {
  cmdletError,
  type Compile,
  type Env,
  type Sink,
} from "./_user_commands.ts";

type Encoding = "default" | "unicode" | "utf8" | "ascii" | "oem";

const ENCODINGS: Encoding[] = ["default", "unicode", "utf8", "ascii", "oem"];

/** Whether a Windows path is a file the edition ships (Edge, winget). */
export function shippedFile(knobs: WindowsKnobs, path: string): boolean {
  const facts = OS_FACTS[knobs.os];
  const same = (a: string) =>
    a.toLowerCase() === path.replaceAll("/", "\\").toLowerCase();
  return (facts.edge && same(EDGE_PATH)) || (facts.winget && same(WINGET_PATH));
}

function encode(
  text: string,
  encoding: Encoding,
  bom: boolean,
  env: Env,
): Uint8Array {
  switch (encoding) {
    case "default":
      return encodeCodePage(text, 1252);
    case "oem":
      return encodeCodePage(text, env.ctx.knobs.oem_codepage);
    case "ascii":
      return new TextEncoder().encode(
        text.replace(/[^ -~\t\r\n]/gu, (c) => c.charCodeAt(0) < 0x80 ? c : "?"),
      );
    case "utf8": {
      const body = new TextEncoder().encode(text);
      return bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body;
    }
    case "unicode": {
      const bytes = new Uint8Array((bom ? 2 : 0) + text.length * 2);
      if (bom) bytes.set([0xff, 0xfe]);
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        bytes[(bom ? 2 : 0) + i * 2] = code & 0xff;
        bytes[(bom ? 2 : 0) + i * 2 + 1] = code >> 8;
      }
      return bytes;
    }
  }
}

/** Decodes a file as 5.1's `Get-Content` does: by its BOM, else ANSI. */
export function decodeFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder().decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  }
  return decodeCodePage(bytes, 1252);
}

function encodingParam(
  statement: Statement,
  value: string | undefined,
  fallback: Encoding,
): Encoding {
  if (value === undefined) return fallback;
  const name = value.toLowerCase() as Encoding;
  if (!ENCODINGS.includes(name)) throw new Unsupported(statement.source);
  return name;
}

function pathError(
  command: string,
  path: string,
  kind: "PathNotFound" | "DirectoryNotFound",
): ReturnType<typeof cmdletError> {
  const id = command.replace("-", "");
  return kind === "PathNotFound"
    ? cmdletError(
      command,
      `Cannot find path '${path}' because it does not exist.`,
      {
        fqid: `PathNotFound,Microsoft.PowerShell.Commands.${id}Command`,
        category: "ObjectNotFound",
        target: { name: path, type: "String" },
        exception: "ItemNotFoundException",
      },
    )
    : cmdletError(command, `Could not find a part of the path '${path}'.`, {
      fqid:
        `GetContentWriterDirectoryNotFoundError,Microsoft.PowerShell.Commands.${id}Command`,
      category: "ObjectNotFound",
      target: { name: path, type: "String" },
      exception: "DirectoryNotFoundException",
    });
}

/** Writes lines (each + CRLF) to a file; a missing folder is an error. */
async function writeLines(
  command: string,
  path: string,
  lines: string[],
  options: { encoding: Encoding; append: boolean },
  env: Env,
): Promise<StepResult> {
  const mapped = mapWindowsPath(env.ctx.labDir, path);
  if (
    !await Deno.stat(dirname(mapped)).then((s) => s.isDirectory, () => false)
  ) {
    await env.emit(pathError(command, path, "DirectoryNotFound"));
    return { failed: true };
  }
  const size = options.append
    ? await Deno.stat(mapped).then((s) => s.size, () => 0)
    : 0;
  const text = lines.map((line) => line + "\r\n").join("");
  const bytes = encode(text, options.encoding, size === 0, env);
  await Deno.writeFile(mapped, bytes, { append: options.append });
  return {};
}

function contentCommand(command: string, append: boolean): Compile {
  return (statement, env) => {
    const params = parseParams(statement, {
      values: ["path", "value", "encoding"],
      positional: ["path", "value"],
    });
    const path = scalar(params, "path", statement);
    if (path === undefined || !params.has("value")) {
      throw new Unsupported(statement.source);
    }
    mapWindowsPath(env.ctx.labDir, path);
    const encoding = encodingParam(
      statement,
      scalar(params, "encoding", statement),
      "default",
    );
    const values = list(params, "value");
    return () => writeLines(command, path, values, { encoding, append }, env);
  };
}

function contentSink(command: string, append: boolean) {
  return (statement: Statement, env: Env): Sink => {
    const params = parseParams(statement, {
      values: ["path", "encoding"],
      positional: ["path"],
    });
    const path = scalar(params, "path", statement);
    if (path === undefined) throw new Unsupported(statement.source);
    mapWindowsPath(env.ctx.labDir, path);
    const encoding = encodingParam(
      statement,
      scalar(params, "encoding", statement),
      "default",
    );
    return (lines) =>
      writeLines(command, path, lines, { encoding, append }, env);
  };
}

/** The file cmdlets. */
export const FILE_COMMANDS: Record<string, Compile> = {
  "get-content": (statement, env) => {
    const path = onePath(statement);
    const mapped = mapWindowsPath(env.ctx.labDir, path);
    return async () => {
      const bytes = await Deno.readFile(mapped).catch(() => null);
      if (bytes === null) {
        await env.emit(pathError("Get-Content", path, "PathNotFound"));
        return { failed: true };
      }
      const lines = decodeFile(bytes).split(/\r?\n/);
      if (lines.at(-1) === "") lines.pop();
      for (const text of lines) await env.emit({ kind: "output", text });
      return {};
    };
  },
  "test-path": (statement, env) => {
    const path = onePath(statement);
    const mapped = mapWindowsPath(env.ctx.labDir, path);
    return async () => {
      const exists = shippedFile(env.ctx.knobs, path) ||
        await Deno.stat(mapped).then(() => true, () => false);
      await env.emit({ kind: "output", text: exists ? "True" : "False" });
      return {};
    };
  },
  "set-content": contentCommand("Set-Content", false),
  "add-content": contentCommand("Add-Content", true),
  "get-childitem": (statement, env) => {
    const params = parseParams(statement, {
      values: ["path"],
      switches: ["name"],
      positional: ["path"],
    });
    const path = scalar(params, "path", statement);
    if (path === undefined || !params.has("name")) {
      throw new Unsupported(
        `${statement.source} (only Get-ChildItem <path> -Name is modeled)`,
      );
    }
    const mapped = mapWindowsPath(env.ctx.labDir, path);
    return async () => {
      const entries = await Array.fromAsync(Deno.readDir(mapped)).catch(() =>
        null
      );
      if (entries === null) {
        await env.emit(pathError("Get-ChildItem", path, "PathNotFound"));
        return { failed: true };
      }
      const names = entries.map((e) => e.name).sort((a, b) =>
        a.toLowerCase().localeCompare(b.toLowerCase())
      );
      for (const text of names) await env.emit({ kind: "output", text });
      return {};
    };
  },
};

/** Pipeline sinks: what may follow `|` (and what `>`/`>>` mean). */
export const SINKS: Record<string, (s: Statement, env: Env) => Sink> = {
  "out-null": (statement) => {
    if (statement.args.length > 1) throw new Unsupported(statement.source);
    return () => Promise.resolve({});
  },
  "out-file": (statement, env) => {
    const params = parseParams(statement, {
      values: ["filepath", "encoding"],
      switches: ["append"],
      positional: ["filepath"],
    });
    const path = scalar(params, "filepath", statement);
    if (path === undefined) throw new Unsupported(statement.source);
    mapWindowsPath(env.ctx.labDir, path);
    const encoding = encodingParam(
      statement,
      scalar(params, "encoding", statement),
      "unicode",
    );
    const append = params.has("append");
    return (lines) =>
      writeLines(
        "Out-File",
        path,
        lines.flatMap((l) => l.split("\n")),
        { encoding, append },
        env,
      );
  },
  "set-content": contentSink("Set-Content", false),
  "add-content": contentSink("Add-Content", true),
};

function onePath(statement: Statement): string {
  const params = parseParams(statement, {
    values: ["path"],
    positional: ["path"],
  });
  const path = scalar(params, "path", statement);
  if (path === undefined || list(params, "path").length !== 1) {
    throw new Unsupported(statement.source);
  }
  return path;
}
