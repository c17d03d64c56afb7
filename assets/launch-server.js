// win-automation's Playwright server for Windows. Installed by
// `win-automation playwright install` into
// C:\ProgramData\win-automation\playwright beside playwright-core (npm) and
// started by the scheduled task WinAutomation-Playwright, as
// NT AUTHORITY\LOCAL SERVICE.
//
// The secret ws path is read from ws_path.txt beside this file, never from
// the command line; the rest (host, port, browser) from server.json beside it.
// It logs the port, never the endpoint (the endpoint holds the secret).
//
// Modules come only from this folder. Node looks for a bare `require("x")` in
// every node_modules folder above the requiring file
// (C:\ProgramData\node_modules, C:\node_modules), which ordinary users may
// create on a default Windows; playwright-core's bundled `ws` (8.17.1, in
// lib/utilsBundle.js) tries `require("bufferutil")` and
// `require("utf-8-validate")` unless WS_NO_BUFFER_UTIL / WS_NO_UTF_8_VALIDATE
// are set. So: those two are set before playwright-core loads; playwright-core
// is loaded by its absolute path; module lookup (Module._resolveLookupPaths,
// which every require and require.resolve uses) is cut off above this folder;
// and the server refuses to start while a node_modules folder exists above it
// or NODE_PATH is set.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Module = require("node:module");

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

function refuse(why) {
  log(`launch-server: refusing to start: ${why}`);
  process.exit(2);
}

// Whether `p` is this folder or inside it.
function inside(p) {
  const rel = path.relative(dir, p);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

// 1. Module resolution stays inside this folder.
process.env.WS_NO_BUFFER_UTIL = "1";
process.env.WS_NO_UTF_8_VALIDATE = "1";
if (process.env.NODE_PATH) {
  refuse("NODE_PATH is set: modules must come from this folder only");
}
for (let up = path.dirname(dir);; up = path.dirname(up)) {
  const candidate = path.join(up, "node_modules");
  if (fs.existsSync(candidate)) {
    refuse(
      `${candidate} exists: Node would look for modules there; remove it`,
    );
  }
  if (path.dirname(up) === up) break;
}
// Every lookup (node_modules folders and Node's global folders: $HOME's
// .node_modules, <prefix>/lib/node) goes through Module._resolveLookupPaths;
// it is kept to folders inside this one.
if (typeof Module._resolveLookupPaths !== "function") {
  refuse("this Node has no Module._resolveLookupPaths to confine lookups");
}
const lookup = Module._resolveLookupPaths;
Module._resolveLookupPaths = (request, parent) => {
  const paths = lookup(request, parent);
  return Array.isArray(paths) ? paths.filter(inside) : paths;
};
const probe = require.resolve.paths("bufferutil");
if (!Array.isArray(probe) || probe.length === 0 || !probe.every(inside)) {
  refuse("module lookup could not be confined to this folder");
}

// 2. The configuration and the secret.
const config = JSON.parse(
  fs.readFileSync(path.join(dir, "server.json"), "utf8"),
);
const wsPath = fs.readFileSync(path.join(dir, "ws_path.txt"), "utf8").trim();
if (!/^[A-Za-z0-9_-]{32,256}$/.test(wsPath) || new Set(wsPath).size < 16) {
  log("launch-server: ws_path.txt does not hold a valid ws path");
  process.exit(2);
}
// Where Playwright finds its ffmpeg (video recording): browsers\ beside this
// file, whoever the task runs as.
process.env.PLAYWRIGHT_BROWSERS_PATH = path.join(dir, "browsers");
const core = path.join(dir, "node_modules", "playwright-core");
const { chromium } = require(path.join(core, "index.js"));

async function main() {
  const options = {
    host: config.host,
    port: config.port,
    wsPath,
    headless: true,
    // The browser's own sandbox, always on Windows. Only the lab (Linux, as
    // root, where Chromium cannot sandbox itself) writes lab_no_sandbox; the
    // install never does.
    chromiumSandbox: config.lab_no_sandbox !== true,
  };
  if (config.executable_path) options.executablePath = config.executable_path;
  else options.channel = config.channel;
  const server = await chromium.launchServer(options);
  const version = require(path.join(core, "package.json")).version;
  log(
    `launch-server: listening on ${config.host}:${config.port} playwright=${version} browser=${
      config.executable_path ? "executable" : config.channel
    } sandbox=${options.chromiumSandbox}`,
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
