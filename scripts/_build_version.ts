/**
 * The version a build is stamped with: the SemVer git tag (`vX.Y.Z`, with an
 * optional pre-release) of the commit being built, or a development version
 * naming the commit when it has no such tag.
 * @module
 */

const SEMVER_TAG =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** What `lib/version/build.json` holds. */
export interface BuildStamp {
  version: string;
  commit: string;
}

/**
 * The stamp for a build of `commit`. `tag` is the tag on that commit (from
 * `git describe --tags --exact-match`), or empty. A tag that is not SemVer
 * is an error: a release must not ship with a version nobody can compare.
 */
export function buildStamp(tag: string, commit: string): BuildStamp {
  const t = tag.trim();
  const short = commit.trim().slice(0, 12) || "unknown";
  if (t === "") return { version: `0.0.0-dev+${short}`, commit: short };
  if (!SEMVER_TAG.test(t)) {
    throw new Error(
      `tag ${
        JSON.stringify(t)
      } is not a SemVer release tag (vX.Y.Z or vX.Y.Z-pre)`,
    );
  }
  return { version: t.slice(1), commit: short };
}
