/**
 * `win-automation artifacts`: the route map; each command loads when it
 * runs.
 * @module
 */
import {
  booleanFlag,
  type Group,
  lazy,
  requiredFlag,
  valueFlag,
} from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { intArg, targetFlag, textArg } from "../_flags.ts";

/** The flags of `artifacts list`. */
export const listFlags = {
  job: requiredFlag(valueFlag("--job <id>", "the job id (a UUID)")),
  json: booleanFlag("--json", "print JSON"),
};

/** The flags of `artifacts fetch`. */
export const fetchFlags = {
  target: targetFlag(),
  job: requiredFlag(valueFlag("--job <id>", "the job id (a UUID)")),
  out: requiredFlag(
    valueFlag("--out <dir>", "destination directory", textArg),
  ),
  json: booleanFlag("--json", "print JSON"),
};

/** The flags of `artifacts gc`. */
export const gcFlags = {
  days: valueFlag(
    "--days <n>",
    "retention in days (default: artifacts.retention_days)",
    intArg(1, 3650),
  ),
  dryRun: booleanFlag(
    "--dry-run",
    "list what would be deleted, delete nothing",
  ),
};

/** `artifacts list|fetch|gc`. */
export const artifacts: Group<Cx> = {
  kind: "group",
  name: "artifacts",
  description: "list, fetch and clean up job artifacts (<out_dir>/<job_id>/)",
  flags: {},
  commands: [
    {
      kind: "command",
      name: "list",
      description: "print a job's manifest: one line per artifact",
      flags: listFlags,
      loader: lazy<typeof import("./list.ts")>("commands/artifacts/list.ts"),
    },
    {
      kind: "command",
      name: "fetch",
      description:
        "copy a job's artifacts to <dir>/<job_id>/, verifying each sha256 (scp from Windows when the Linux copy is missing)",
      flags: fetchFlags,
      loader: lazy<typeof import("./fetch.ts")>("commands/artifacts/fetch.ts"),
    },
    {
      kind: "command",
      name: "gc",
      description:
        "delete job artifact roots older than --days (running jobs and symlinks are left alone)",
      flags: gcFlags,
      loader: lazy<typeof import("./gc.ts")>("commands/artifacts/gc.ts"),
    },
  ],
};
