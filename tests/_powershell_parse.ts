/**
 * A PowerShell syntax check for tests, with tree-sitter's PowerShell grammar
 * (npm `tree-sitter-powershell`, its shipped `tree-sitter-powershell.wasm`)
 * run by `web-tree-sitter`. Both are pinned in deno.json; neither is in
 * main.ts's module graph, so the binary never carries them.
 * @module
 */
import { Language, type Node, Parser } from "web-tree-sitter";

/** One place where the grammar could not read the text. */
export interface PowerShellParseError {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units of that line as tree-sitter counts them. */
  column: number;
  /** `ERROR`: text the grammar could not place; `MISSING`: a token it had to invent. */
  kind: "ERROR" | "MISSING";
  /** What is there: the source line (at most 80 characters), and for MISSING the token. */
  snippet: string;
}

/** What {@linkcode parsePowerShell} found. */
export interface PowerShellParseResult {
  /** True when the tree has no ERROR and no MISSING node. */
  ok: boolean;
  /** Every ERROR and MISSING node, in document order. */
  errors: PowerShellParseError[];
}

const GRAMMAR_PACKAGE = "tree-sitter-powershell";
const GRAMMAR_FILE = "tree-sitter-powershell.wasm";
const SNIPPET_MAX = 80;

let parser: Promise<Parser> | undefined;

/**
 * Parses `text` as PowerShell and lists every ERROR and MISSING node. The
 * grammar is loaded once per process.
 */
export async function parsePowerShell(
  text: string,
): Promise<PowerShellParseResult> {
  parser ??= loadParser();
  const tree = (await parser).parse(text);
  if (!tree) {
    throw new Error("Cannot parse PowerShell: tree-sitter returned no tree");
  }
  try {
    const lines = text.split("\n");
    const errors: PowerShellParseError[] = [];
    collect(tree.rootNode, lines, errors);
    return { ok: errors.length === 0, errors };
  } finally {
    tree.delete();
  }
}

function collect(
  node: Node,
  lines: string[],
  out: PowerShellParseError[],
): void {
  if (node.isError || node.isMissing) {
    const { row, column } = node.startPosition;
    const line = (lines[row] ?? "").replace(/\r$/, "").trim();
    const shown = line.length > SNIPPET_MAX
      ? `${line.slice(0, SNIPPET_MAX - 3)}...`
      : line;
    out.push({
      line: row + 1,
      column: column + 1,
      kind: node.isMissing ? "MISSING" : "ERROR",
      snippet: node.isMissing ? `missing ${node.type} in: ${shown}` : shown,
    });
  }
  if (!node.hasError) return;
  for (const child of node.children) collect(child, lines, out);
}

async function loadParser(): Promise<Parser> {
  await Parser.init();
  const language = await Language.load(
    await Deno.readFile(await grammarPath()),
  );
  const p = new Parser();
  p.setLanguage(language);
  return p;
}

/**
 * Where the grammar's wasm is on disk. Deno resolves npm packages into its
 * cache and gives no file URL for them to import (a `bytes` import is
 * unstable in Deno 2.9), so this asks `deno info --json` for the package's
 * `localPath`, resolving the version from deno.json and checking deno.lock
 * (it downloads the package when the cache lacks it).
 */
async function grammarPath(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `${GRAMMAR_PACKAGE}/${GRAMMAR_FILE}`],
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const why = new TextDecoder().decode(out.stderr).trim().split("\n").pop();
  if (out.code !== 0) {
    throw new Error(
      `Cannot locate the ${GRAMMAR_PACKAGE} package: deno info exited ${out.code} (${why})`,
    );
  }
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    npmPackages?: Record<string, { name: string; localPath?: string }>;
  };
  const pkg = Object.values(info.npmPackages ?? {}).find((p) =>
    p.name === GRAMMAR_PACKAGE
  );
  if (!pkg?.localPath) {
    throw new Error(
      `Cannot locate the ${GRAMMAR_PACKAGE} package: deno info gave no localPath for it`,
    );
  }
  return `${pkg.localPath}/${GRAMMAR_FILE}`;
}
