/**
 * Build and version information.
 * @module
 */
export { buildInfo } from "./version.ts";
export type { BuildInfo } from "./version.ts";
export { pinnedVersion } from "./deps.ts";
