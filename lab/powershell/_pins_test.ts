import { BOOTSTRAP } from "../../lib/powershell/mod.ts";
import { RUNNER, SCRIPT_BODIES } from "../../lib/powershell/scripts.ts";
import { BODY_PINS, BOOTSTRAP_PIN, RUNNER_PIN, UNREVIEWED } from "./_pins.ts";
import { sha256Hex } from "./_script.ts";

Deno.test("the lab's pins match the bootstrap and every body lib/powershell ships", () => {
  const problems: string[] = [];
  const check = (
    what: string,
    pin: string | undefined,
    text: string,
    line: string,
  ) => {
    const hash = sha256Hex(text);
    if (pin === hash) return;
    problems.push(
      `${what}: lib/powershell ships sha256 ${hash} but lab/powershell/_pins.ts has ${
        pin ?? "no pin"
      }` +
        `${
          pin === UNREVIEWED ? " (never reviewed)" : ""
        }. Re-review the emulation of ${what} ` +
        `(lab/powershell/_script_kinds.ts, _exec_kinds.ts, README "Script kinds") against the new text, ` +
        `then set ${line} = "${hash}" in lab/powershell/_pins.ts`,
    );
  };
  check("the bootstrap", BOOTSTRAP_PIN, BOOTSTRAP, "BOOTSTRAP_PIN");
  check("the runner", RUNNER_PIN, RUNNER, "RUNNER_PIN");
  for (const [kind, body] of Object.entries(SCRIPT_BODIES)) {
    check(`kind ${kind}`, BODY_PINS[kind], body, `BODY_PINS.${kind}`);
  }
  for (const kind of Object.keys(BODY_PINS)) {
    if (!(kind in SCRIPT_BODIES)) {
      problems.push(
        `kind ${kind}: pinned in lab/powershell/_pins.ts but lib/powershell ships no body for it`,
      );
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
});
