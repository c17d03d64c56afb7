import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { installFlags } from "./mod.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation aloha install`: the Aloha scheduled tasks on Windows. */
export default async function alohaInstallCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof installFlags>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext("aloha.install", async (ctx) => {
    const { installAlohaTasks } = await import("../../lib/aloha/mod.ts");
    const { OperationalError } = await import("../../lib/errors/mod.ts");
    const a = ctx.config.aloha;
    const port = (url: string) => Number(new URL(url).port || 80);
    const user = opts.desktopUser ?? a.desktopUser;
    const result = await installAlohaTasks(ctx.ssh(), {
      serverCmd: a.serverStartCmd,
      clientCmd: a.clientStartCmd,
      desktopUser: user,
      timeoutMs: ctx.config.limits.stepMs,
      ports: { server: port(a.serverUrl), client: port(a.clientUrl) },
      logger: ctx.logger,
    });
    const fields = {
      component: "aloha",
      changed: result.changed.join(",") || "none",
      server_task: result.tasks["WinAutomation-AlohaServer"],
      client_task: result.tasks["WinAutomation-AlohaClient"],
      server_listening: result.listening.server,
      client_listening: result.listening.client,
    };
    if (!result.listening.server || !result.listening.client) {
      ctx.out.emit({ state: "partial", ...fields });
      const down = [
        result.listening.server ? "" : "server",
        result.listening.client ? "" : "client",
      ].filter(Boolean).join(" and ");
      throw new OperationalError(
        `Cannot start Aloha: the ${down} does not listen (the client task runs only while "${user}" is logged on to the desktop; see the start command's log)`,
      );
    }
    ctx.out.emit({ state: "installed", ...fields });
  });
}
