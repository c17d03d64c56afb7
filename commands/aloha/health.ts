import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";

/** `win-automation aloha health`: the Aloha server and client answer. */
export default async function alohaHealthCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  const { createContext } = await import("../_context.ts");
  const ctx = await createContext(io, state, {
    op: "aloha.health",
    configPath: globals().config,
  });
  const client = ctx.aloha();
  await client.serverHealth();
  const status = await client.clientReachable();
  ctx.logger.info("aloha", "aloha.health", "aloha healthy", {
    client_http_status: status,
  });
  ctx.emit({ state: "ok", component: "aloha", server: "ok", client: "ok" });
}
