/**
 * Domain errors and the exit codes they map to.
 * @module
 */
export * from "./errors.ts";
export * from "./text.ts";
