/**
 * Help text for a node of the tree, plain and 80 columns wide whatever the
 * terminal.
 * @module
 */
import type { Argument, Command, Group, Node } from "./spec.ts";

const WIDTH = 80;
const HELP_LINE: [string, string] = ["-h, --help", "show help"];

/** The help of `node`, reached by `path` from the program `program`. */
export function renderHelp<C>(
  program: string,
  node: Node<C>,
  path: string[],
): string {
  const name = [program, ...path].join(" ");
  const sections: string[] = [];
  sections.push(`Usage: ${name} ${usageTail(node)}`);
  sections.push(wrap(node.description, WIDTH).join("\n"));
  const rows: Array<[string, string][]> = [];
  const titles: string[] = [];
  if (node.kind === "command" && node.argument) {
    titles.push("Arguments:");
    rows.push([[node.argument.name, node.argument.description]]);
  }
  titles.push("Options:");
  rows.push([
    ...Object.values(node.flags).map((f): [string, string] => [
      f.flags,
      f.choices
        ? `${f.description} (choices: ${
          f.choices.map((c) => JSON.stringify(c)).join(", ")
        })`
        : f.description,
    ]),
    HELP_LINE,
  ]);
  if (node.kind === "group") {
    titles.push("Commands:");
    rows.push([
      ...visible(node).map((c): [string, string] => [
        commandTerm(c),
        c.description,
      ]),
      ["help [command]", "show help for command"],
    ]);
  }
  const termWidth = Math.max(...rows.flat().map(([term]) => term.length)) + 2;
  for (const [i, title] of titles.entries()) {
    sections.push(
      [title, ...rows[i]!.map(([t, d]) => row(t, d, termWidth))].join("\n"),
    );
  }
  return sections.join("\n\n") + "\n";
}

/** The commands of a group that help and completion show. */
export function visible<C>(group: Group<C>): Array<Node<C>> {
  return group.commands.filter((c) => !(c.kind === "command" && c.hidden));
}

function usageTail<C>(node: Node<C>): string {
  if (node.kind === "group") return "[options] [command]";
  return ["[options]", ...argumentTerm(node.argument)].join(" ");
}

function argumentTerm(a: Argument | undefined): string[] {
  if (!a) return [];
  const inner = `${a.name}${a.variadic ? "..." : ""}`;
  return [(a.required ?? true) ? `<${inner}>` : `[${inner}]`];
}

function commandTerm<C>(node: Node<C>): string {
  if (node.kind === "group") return node.name;
  const c = node as Command<C>;
  return [
    c.name,
    ...(Object.keys(c.flags).length > 0 ? ["[options]"] : []),
    ...argumentTerm(c.argument),
  ].join(" ");
}

function row(term: string, description: string, termWidth: number): string {
  const indent = 2 + termWidth;
  const lines = wrap(description, WIDTH - indent);
  const first = `  ${term.padEnd(termWidth)}${lines[0] ?? ""}`;
  return [first, ...lines.slice(1).map((l) => " ".repeat(indent) + l)]
    .join("\n").trimEnd();
}

/** Splits `text` into lines of at most `width` characters at spaces. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
