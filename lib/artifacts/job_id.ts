import { UsageError } from "../errors/mod.ts";
import { isJobId } from "../ids/mod.ts";

/**
 * Checks a job id before it becomes a path: only a run id (a UUID) passes, so
 * `../x`, absolute paths and separators never reach the file system. Throws a
 * UsageError (exit 2) naming `flag`.
 */
export function checkArtifactJobId(id: string, flag = "--job"): string {
  if (!isJobId(id)) {
    throw new UsageError(
      `usage error: ${flag} must be a job id (a UUID), got ${
        JSON.stringify(id)
      }`,
    );
  }
  return id.toLowerCase();
}
