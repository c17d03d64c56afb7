/**
 * A small command-line router: a tree of groups and commands, each command's
 * implementation loaded only when it runs, commander's error wording, help
 * text and shell completion from the same tree. It imports nothing, so a
 * command's start-up is what the command itself loads.
 * @module
 */
export * from "./spec.ts";
export { lazy, type Loader, moduleUrl } from "./lazy.ts";
export { type Route, route } from "./parse.ts";
export { renderHelp } from "./help.ts";
export { completeWords, completionScript, FILES, SHELLS } from "./complete.ts";
