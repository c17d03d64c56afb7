import build from "./build.json" with { type: "json" };

/** What `win-automation version` reports. */
export interface BuildInfo {
  /** SemVer of this build (from the git tag at release time). */
  version: string;
  /** Git commit of this build. */
  commit: string;
  /** Deno runtime version. */
  deno: string;
}

/**
 * The build's version info. `build.json` holds a development default; the
 * release build overwrites it from the git tag before `deno compile`.
 */
export function buildInfo(): BuildInfo {
  return {
    version: build.version,
    commit: build.commit,
    deno: Deno.version.deno,
  };
}
