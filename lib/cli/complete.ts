/**
 * Shell completion from the command tree: {@linkcode completeWords} answers
 * the hidden `__complete` command, and the scripts of
 * {@linkcode completionScript} call it on every TAB, so completion always
 * matches the binary that is installed.
 * @module
 */
import { visible } from "./help.ts";
import {
  type Flag,
  type Group,
  longName,
  type Node,
  takesValue,
} from "./spec.ts";

/** Printed alone when the word to complete is a file name. */
export const FILES = ":files";

/** The shells {@linkcode completionScript} writes for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/**
 * What the last of `words` (the command line after the program name, the
 * word being completed last, maybe "") may become.
 */
export function completeWords<C>(root: Group<C>, words: string[]): string[] {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  let node: Node<C> = root;
  let afterDashDash = false;
  let pendingValue: Flag | undefined;
  for (const word of before) {
    if (pendingValue) {
      pendingValue = undefined;
      continue;
    }
    if (node.kind === "command" && word === "--") {
      afterDashDash = true;
      continue;
    }
    if (word.startsWith("-")) {
      const flag = Object.values(node.flags).find((f) => longName(f) === word);
      if (flag && takesValue(flag)) pendingValue = flag;
      continue;
    }
    if (node.kind === "group") {
      const child: Node<C> | undefined = node.commands.find((c) =>
        c.name === word
      );
      if (!child) return [];
      node = child;
    }
  }
  if (afterDashDash) return [];
  if (pendingValue) {
    if (pendingValue.choices) {
      return pendingValue.choices.filter((c) => c.startsWith(current));
    }
    return /<(dir|path)>$/.test(pendingValue.flags) ? [FILES] : [];
  }
  const options = [...Object.values(node.flags).map(longName), "--help"];
  if (current.startsWith("-")) {
    return options.filter((o) => o.startsWith(current));
  }
  if (node.kind === "group") {
    return visible(node).map((c) => c.name).filter((n) =>
      n.startsWith(current)
    );
  }
  const choices = node.argument?.choices ?? [];
  return choices.filter((c) => c.startsWith(current));
}

/**
 * The completion script for `shell`: it asks `<program> __complete -- <words>`
 * for the candidates (`:files` means file names).
 */
export function completionScript(
  program: string,
  shell: typeof SHELLS[number],
): string {
  const fn = `_${program.replace(/[^A-Za-z0-9]/g, "_")}`;
  if (shell === "bash") {
    return `# bash completion for ${program}
# Install: ${program} completions bash > ~/.local/share/bash-completion/completions/${program}
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]}
  local IFS=$'\\n'
  local -a found
  found=($("\${COMP_WORDS[0]}" __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  if [[ "\${found[0]}" == "${FILES}" ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=("\${found[@]}")
  fi
}
complete -F ${fn} ${program}
`;
  }
  if (shell === "zsh") {
    return `#compdef ${program}
# zsh completion for ${program}
# Install: ${program} completions zsh > "\${fpath[1]}/_${program}" (then restart zsh)
${fn}() {
  local -a found
  found=("\${(@f)$("\${words[1]}" __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${found[1]}" == "${FILES}" ]]; then
    _files
  else
    compadd -- "\${found[@]}"
  fi
}
compdef ${fn} ${program}
`;
  }
  return `# fish completion for ${program}
# Install: ${program} completions fish > ~/.config/fish/completions/${program}.fish
function __${fn}
  set -l words (commandline -opc) (commandline -ct)
  set -l found ($words[1] __complete -- $words[2..-1] 2>/dev/null)
  if test "$found[1]" = "${FILES}"
    __fish_complete_path (commandline -ct)
  else
    printf '%s\\n' $found
  end
end
complete -c ${program} -f -a '(__${fn})'
`;
}
