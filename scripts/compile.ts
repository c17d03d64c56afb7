/**
 * `deno task compile`: builds the single `win-automation` binary with the
 * CLI's explicit permission set. `deno compile` downloads its runtime base
 * binary from Deno's servers; where they cannot be reached (these development
 * machines), it fails with a message saying so and how to build elsewhere.
 * @module
 */
// deno-lint-ignore-file no-console
import { CLI_PERMISSIONS } from "./permissions.ts";

const target = Deno.args[0];
const output = `dist/win-automation${target ? `-${target}` : ""}`;
const args = [
  "compile",
  ...CLI_PERMISSIONS,
  ...(target ? ["--target", target] : []),
  "--output",
  output,
  "main.ts",
];
console.error(`deno ${args.join(" ")}`);
const result = await new Deno.Command(Deno.execPath(), {
  args,
  stderr: "piped",
}).output();
const stderr = new TextDecoder().decode(result.stderr);
if (result.code !== 0) {
  console.error(stderr.trim());
  if (/dl\.deno\.land|denort|download/i.test(stderr)) {
    console.error(
      "Cannot compile here: deno compile downloads its runtime (denort) from dl.deno.land, which this machine cannot reach. " +
        "Build on a machine with that access, or push a vX.Y.Z tag and let .github/workflows/release.yml build it.",
    );
  }
  Deno.exit(result.code);
}
console.error(`built ${output}`);
