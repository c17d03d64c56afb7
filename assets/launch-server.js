// win-automation's Playwright server for Windows. Installed by
// `win-automation playwright install` into
// C:\ProgramData\win-automation\playwright beside playwright-core (npm) and
// started by the scheduled task WinAutomation-Playwright.
//
// The secret ws path is read from ws_path.txt beside this file, never from
// the command line; the rest (host, port, browser) from server.json beside it.
// It logs the port, never the endpoint (the endpoint holds the secret).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const dir = __dirname;
// The scheduled task keeps no output: lines go to launch-server.log too.
function log(line) {
  const text = `${new Date().toISOString()} ${line}\n`;
  process.stdout.write(text);
  try {
    fs.appendFileSync(path.join(dir, "launch-server.log"), text);
  } catch {
    // A log that cannot be written must not stop the server.
  }
}
const config = JSON.parse(
  fs.readFileSync(path.join(dir, "server.json"), "utf8"),
);
const wsPath = fs.readFileSync(path.join(dir, "ws_path.txt"), "utf8").trim();
if (!/^[A-Za-z0-9._~-]{16,256}$/.test(wsPath)) {
  log("launch-server: ws_path.txt does not hold a valid ws path");
  process.exit(2);
}
// Where Playwright finds its ffmpeg (video recording): browsers\ beside this
// file, whoever the task runs as.
process.env.PLAYWRIGHT_BROWSERS_PATH = path.join(dir, "browsers");
const { chromium } = require("playwright-core");

async function main() {
  const options = {
    host: config.host,
    port: config.port,
    wsPath,
    headless: true,
  };
  if (config.executable_path) options.executablePath = config.executable_path;
  else options.channel = config.channel;
  const server = await chromium.launchServer(options);
  const version = require("playwright-core/package.json").version;
  log(
    `launch-server: listening on ${config.host}:${config.port} playwright=${version} browser=${
      config.executable_path ? "executable" : config.channel
    }`,
  );
  const stop = () => server.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  const text = String(error && error.message || error).split(wsPath).join(
    "<redacted>",
  );
  log(`launch-server: cannot start: ${text}`);
  process.exit(1);
});
