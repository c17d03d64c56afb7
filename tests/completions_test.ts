import { assert } from "@test/assert";
import { completeWords, FILES } from "../lib/cli/mod.ts";
import { ROOT } from "../commands/mod.ts";
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";
import { runInProcess } from "./_cli.ts";

Deno.test("completeWords() completes commands, then flags, then flag values", () => {
  assert.deepEqual(completeWords(ROOT, ["windows", "e"]), ["exec"]);
  assert.deepEqual(completeWords(ROOT, ["windows", "z"]), []);
  assert.deepEqual(completeWords(ROOT, ["jo"]), ["jobs"]);
  assert.deepEqual(completeWords(ROOT, ["--config", "x.json", "do"]), [
    "doctor",
  ]);
  assert.deepEqual(completeWords(ROOT, ["windows", "exec", "--ra"]), ["--raw"]);
  assert.deepEqual(
    completeWords(ROOT, ["jobs", "enqueue", "--type", "p"]),
    ["playwright.run"],
  );
  assert.deepEqual(completeWords(ROOT, ["artifacts", "fetch", "--out", ""]), [
    FILES,
  ]);
  assert.deepEqual(completeWords(ROOT, ["completions", ""]), [
    "bash",
    "zsh",
    "fish",
  ]);
  // Hidden commands are not offered; words after -- are the user's.
  assert.ok(!completeWords(ROOT, [""]).includes("__complete"));
  assert.deepEqual(completeWords(ROOT, ["windows", "exec", "--", "--r"]), []);
});

const ROOT_DIR = new URL("..", import.meta.url).pathname;

/**
 * Runs `script` in a clean bash with `win-automation` on PATH (the CLI as
 * shipped, through deno run) and its bash completion loaded.
 */
async function bashWithCompletion(script: string): Promise<string> {
  const bin = await Deno.makeTempDir({ prefix: "wa-complete-" });
  const perms = CLI_PERMISSIONS.map((p) => `'${p}'`).join(" ");
  await Deno.writeTextFile(
    `${bin}/win-automation`,
    `#!/bin/sh\nexec '${Deno.execPath()}' run ${perms} --quiet '${ROOT_DIR}main.ts' "$@"\n`,
  );
  await Deno.chmod(`${bin}/win-automation`, 0o755);
  const completion = await runInProcess(["completions", "bash"]);
  assert.equal(completion.code, 0);
  await Deno.writeTextFile(`${bin}/completion.bash`, completion.stdout);
  const out = await new Deno.Command("bash", {
    args: ["--norc", "--noprofile", "-c", `source completion.bash\n${script}`],
    cwd: bin, // an empty directory: no file name can complete by accident
    env: { PATH: `${bin}:${Deno.env.get("PATH")}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(bin, { recursive: true });
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return text;
}

/** Bash's TAB on `line`: the function `complete -p` names, called as bash calls it. */
const tab = (line: string) => `
spec=$(complete -p win-automation) || exit 9
fn=\${spec#*-F }; fn=\${fn%% *}
read -ra COMP_WORDS <<< '${line}'
${line.endsWith(" ") ? "COMP_WORDS+=('')" : ""}
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}
COMPREPLY=()
"$fn" win-automation "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
echo "spec=$spec"
printf 'reply=%s\\n' "\${COMPREPLY[@]}"
`;

Deno.test("bash completion: `win-automation windows e<TAB>` completes to exec, `windows z<TAB>` to nothing", async () => {
  const e = await bashWithCompletion(tab("win-automation windows e"));
  assert.match(e, /^spec=complete -F \S+ win-automation$/m);
  assert.deepEqual(e.split("\n").filter((l) => l.startsWith("reply=")), [
    "reply=exec",
  ]);
  // Negative control: nothing starts with z, so bash gets no candidate.
  const z = await bashWithCompletion(tab("win-automation windows z"));
  assert.deepEqual(z.split("\n").filter((l) => l.startsWith("reply=")), [
    "reply=",
  ]);
  // And a fresh word after a group offers its commands.
  const all = await bashWithCompletion(tab("win-automation aloha "));
  assert.deepEqual(
    all.split("\n").filter((l) => l.startsWith("reply=")).sort(),
    ["reply=health", "reply=install", "reply=run"],
  );
});

Deno.test("completions prints a script for bash, zsh and fish, and refuses another shell", async () => {
  const shells: Array<[string, string]> = [
    ["bash", "complete -F"],
    ["zsh", "compdef"],
    ["fish", "complete -c win-automation"],
  ];
  for (const [shell, marker] of shells) {
    const r = await runInProcess(["completions", shell]);
    assert.equal(r.code, 0);
    assert.ok(r.stdout.includes(marker), shell);
    assert.ok(r.stdout.includes("__complete"), shell);
  }
  const bad = await runInProcess(["completions", "tcsh"]);
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr,
    "usage error: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n",
  );
});
