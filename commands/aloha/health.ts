import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation aloha health`: the Aloha server and client answer. */
export default async function alohaHealthCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext("aloha.health", async (ctx) => {
    const client = ctx.aloha();
    await client.serverHealth();
    const status = await client.clientReachable();
    ctx.logger.scope("aloha", "aloha.health").info("aloha healthy", {
      client_http_status: status,
    });
    ctx.out.emit({
      state: "ok",
      component: "aloha",
      server: "ok",
      client: "ok",
    });
  });
}
