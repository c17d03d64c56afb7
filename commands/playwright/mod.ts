/**
 * `win-automation playwright`: the route map; each command loads when it
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
import { durationArg, intArg, pageUrlArg, targetFlag } from "../_flags.ts";
import { fanOutFlags } from "../_fan_out.ts";

/** The flags of `playwright install`. */
export const installFlags = {
  target: targetFlag(),
  port: valueFlag(
    "--port <port>",
    "the server's port (default: playwright.port)",
    intArg(1, 65535),
  ),
};

/** The flags of `playwright run`. */
export const runFlags = {
  target: targetFlag(),
  url: requiredFlag(valueFlag(
    "--url <url>",
    "the page to open (http or https; others need playwright.allow_file_urls=on)",
    pageUrlArg,
  )),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit of the whole run (default: config timeout)",
    durationArg(),
  ),
  screenshot: booleanFlag(
    "--screenshot",
    "save playwright/screenshot.png (full page)",
  ),
  trace: booleanFlag(
    "--trace",
    "save playwright/trace.zip (Playwright trace)",
  ),
  video: booleanFlag("--video", "save playwright/video.webm"),
  traceId: valueFlag(
    "--trace-id <id>",
    "this tool's trace id (generated when absent)",
  ),
  ...fanOutFlags(),
};

/** `playwright install|health|run`. */
export const playwright: Group<Cx> = {
  kind: "group",
  name: "playwright",
  description:
    "the Playwright server in Windows: install it, check it, open pages",
  flags: {},
  commands: [
    {
      kind: "command",
      name: "install",
      description:
        "install or converge the Playwright server on Windows (task, firewall, start)",
      flags: installFlags,
      loader: lazy<typeof import("./install.ts")>(
        "commands/playwright/install.ts",
      ),
    },
    {
      kind: "command",
      name: "health",
      description: "connect to the Playwright server and report its version",
      flags: { target: targetFlag() },
      loader: lazy<typeof import("./health.ts")>(
        "commands/playwright/health.ts",
      ),
    },
    {
      kind: "command",
      name: "run",
      description:
        "open a URL in the Windows browser, wait for load, save artifacts on Linux",
      flags: runFlags,
      loader: lazy<typeof import("./run.ts")>("commands/playwright/run.ts"),
    },
  ],
};
