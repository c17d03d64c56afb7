/**
 * `deno task compile [<target>]`: builds the single `win-automation` binary
 * from the bundle (scripts/bundle.ts) with the CLI's explicit permission set
 * (scripts/permissions.ts), the embedded assets (imported with
 * `with { type: "text" }`, so inlined into the bundle), and every command
 * module's entry with `--include` (they are loaded through computed
 * specifiers, lib/cli/lazy.ts). The version comes from the git tag of the commit being
 * built (scripts/_build_version.ts), stamped into lib/version/build.json for
 * the build and restored afterwards.
 *
 * `deno compile` downloads its runtime base binary from Deno's servers; where
 * they cannot be reached (these development machines), it fails with a
 * message saying so and how to build elsewhere.
 * @module
 */
// deno-lint-ignore-file no-console
import { CLI_PERMISSIONS } from "./permissions.ts";
import { buildStamp } from "./_build_version.ts";
import { bundle, BUNDLE_DIR, bundled } from "./bundle.ts";
import { ROOT } from "../commands/mod.ts";
import type { Node } from "../lib/cli/mod.ts";

/**
 * The command modules the tree loads through computed specifiers
 * (lib/cli/lazy.ts), relative to the repository root: `deno compile` cannot
 * see them, so each is passed with `--include`.
 */
export function commandModules<C>(node: Node<C> = ROOT as Node<C>): string[] {
  if (node.kind === "command") return [node.loader.path];
  return node.commands.flatMap((c) => commandModules(c));
}

/** The `deno compile` arguments for `target` (a Rust triple) or the host. */
export function compileArgs(target?: string): string[] {
  return [
    "compile",
    ...CLI_PERMISSIONS,
    ...(target ? ["--target", target] : []),
    ...commandModules().flatMap((m) => ["--include", bundled(m)]),
    "--output",
    `dist/win-automation${target ? `-${target}` : ""}`,
    bundled("main.ts"),
  ];
}

async function git(args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => null);
  return out?.success ? new TextDecoder().decode(out.stdout).trim() : "";
}

if (import.meta.main) {
  const target = Deno.args[0];
  const stamp = buildStamp(
    await git(["describe", "--tags", "--exact-match", "HEAD"]),
    await git(["rev-parse", "HEAD"]),
  );
  const buildJson = new URL("../lib/version/build.json", import.meta.url);
  const original = await Deno.readTextFile(buildJson);
  const args = compileArgs(target);
  console.error(`version ${stamp.version} (${stamp.commit})`);
  console.error(`deno ${args.join(" ")}`);
  let result: Deno.CommandOutput;
  try {
    await Deno.writeTextFile(buildJson, JSON.stringify(stamp) + "\n");
    await bundle(BUNDLE_DIR);
    result = await new Deno.Command(Deno.execPath(), {
      args,
      stderr: "piped",
    }).output();
  } finally {
    await Deno.writeTextFile(buildJson, original);
  }
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
  console.error(`built ${args[args.indexOf("--output") + 1]}`);
}
