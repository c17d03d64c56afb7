import type { Parsed } from "../../lib/cli/mod.ts";
import type { ResolvedTarget } from "../../lib/config/mod.ts";
import { errorMessage } from "../../lib/errors/mod.ts";
import type { WorkerInfo } from "../../lib/hatchet/mod.ts";
import type { Cx } from "../_io.ts";
import { groupsOf } from "../_targets.ts";
import { withContextOf } from "../_with_context.ts";
import type { listFlags } from "./mod.ts";

/** A worker as `targets list --json` prints it, under `target`. */
function workerJson(w: WorkerInfo, target: string) {
  return {
    id: w.id,
    name: w.name,
    status: w.status,
    last_heartbeat_at: w.lastHeartbeatAt,
    slots: w.slots,
    version: w.version,
    sdk_version: w.sdkVersion,
    cordoned: w.cordoned.includes(target),
  };
}

/**
 * A worker on `target`'s `targets list` line: name, status, heartbeat,
 * slots, version, and `cordoned` when it is cordoned for the target.
 */
function workerText(w: WorkerInfo, target: string): string {
  const slots = w.slots ? `${w.slots.available ?? "?"}/${w.slots.limit}` : "?";
  return `${w.name} ${w.status.toLowerCase()} heartbeat=${
    w.lastHeartbeatAt ?? "never"
  } slots=${slots} version=${w.version || "?"}${
    w.cordoned.includes(target) ? " cordoned" : ""
  }`;
}

/**
 * `win-automation targets list [--json]`: every target of the config with
 * its address, groups and tags, and the Hatchet workers that carry its label
 * (`target.<name>`), and whether it is cordoned (`cordoned=yes|no|partial`,
 * lib/hatchet/cordon.ts). When the workers cannot be read, the targets are still
 * listed, with `workers=unknown` (JSON: `"workers": null` and
 * `workers_error`), and the command then fails as Hatchet failed: exit 3
 * unreachable, 2 without a token.
 */
export default async function targetsListCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof listFlags>,
  _words: string[],
): Promise<void> {
  await withContextOf(io, state, globals)("targets.list", async (ctx) => {
    const { config } = ctx;
    const hatchet = await import("../../lib/hatchet/mod.ts");
    let workers: WorkerInfo[] | null = null;
    let failure: unknown;
    try {
      const client = await hatchet.connectHatchet(config, ctx.logger, ctx.op);
      workers = await hatchet.listWorkers(client, config.hatchet.httpUrl);
    } catch (error) {
      failure = error;
    }
    const serving = (t: ResolvedTarget) =>
      workers === null ? null : hatchet.workersServing(workers, t.name);
    const targets = Object.values(config.targets);
    if (opts.json) {
      io.stdout(JSON.stringify({
        targets: targets.map((t) => ({
          name: t.name,
          address: `${t.windows.sshHost}:${t.windows.sshPort}`,
          groups: groupsOf(config.groups, t.name),
          tags: t.tags,
          desktop: t.desktop,
          default: t.name === config.target,
          workers: serving(t)?.map((w) => workerJson(w, t.name)) ?? null,
          cordoned: workers === null
            ? null
            : hatchet.cordonState(workers, t.name),
        })),
        workers_error: failure === undefined
          ? null
          : ctx.logger.redact(errorMessage(failure)),
      }));
    } else {
      for (const t of targets) {
        const ws = serving(t);
        ctx.out.emit({
          target: t.name,
          address: `${t.windows.sshHost}:${t.windows.sshPort}`,
          groups: groupsOf(config.groups, t.name).join(","),
          tags: t.tags.join(","),
          workers: ws === null ? "unknown" : ws.length,
          active: ws === null
            ? "unknown"
            : ws.filter((w) => w.status === "ACTIVE").length,
          cordoned: workers === null
            ? "unknown"
            : hatchet.cordonState(workers, t.name),
          served_by: ws?.map((w) => workerText(w, t.name)).join(", ") ||
            undefined,
        });
      }
    }
    if (failure !== undefined) throw failure;
  });
}
