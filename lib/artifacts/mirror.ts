import { OperationalError } from "../errors/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import {
  runJsonScript,
  scpPath,
  WINDOWS_ARTIFACT_DIR,
} from "../windows/mod.ts";
import type { MirrorFn } from "./job_artifacts.ts";
import { RUNNING_FILE } from "./paths.ts";
import { stageTree } from "./stage.ts";

/** Options for {@linkcode windowsMirror}. */
export interface MirrorOptions {
  /** Time limit of each step in ms. */
  timeoutMs: number;
  /** Stops the upload. @default undefined */
  signal?: AbortSignal;
}

/**
 * A mirror that copies a finished job root (files and manifest) to
 * `C:\ProgramData\win-automation\artifacts\<job_id>\`: the `artifact_dir`
 * script kind creates the folder, then one recursive scp uploads the root's
 * entries (the binary-safe equivalent of base64 over PowerShell). Symlinks
 * are never followed, at any depth: they are left out and returned as
 * `skipped`.
 */
export function windowsMirror(
  ssh: SshClient,
  options: MirrorOptions,
): MirrorFn {
  return async (root, jobId) => {
    await runJsonScript<"artifact_dir", { state: string }>(
      ssh,
      "artifact_dir",
      { job_id: jobId },
      options,
    );
    // scp -r follows symlinks, also inside subfolders: upload a staged copy
    // that holds only real directories and regular files.
    const staged = await stageTree(root, { exclude: [RUNNING_FILE] });
    try {
      const remote = scpPath(WINDOWS_ARTIFACT_DIR, jobId, "");
      if (staged.entries.length === 0) return { skipped: staged.skipped };
      const result = await ssh.upload(staged.entries, remote, {
        ...options,
        recursive: true,
      });
      if (result.code !== 0) {
        const why = new TextDecoder().decode(result.stderr).trim().split("\n")
          .pop();
        throw new OperationalError(
          `Cannot mirror artifacts to ${ssh.endpoint}:${remote}: scp exited ${result.code}${
            why ? ` (${why})` : ""
          }`,
        );
      }
      return { skipped: staged.skipped };
    } finally {
      await Deno.remove(staged.dir, { recursive: true }).catch(() => {});
    }
  };
}

/** SFTP reads in flight for artifact downloads (scp's default is 64). */
const SFTP_REQUESTS = 128;

function unsupportedOption(stderr: Uint8Array): boolean {
  return /unknown option|illegal option|usage: scp/i.test(
    new TextDecoder().decode(stderr),
  );
}

/**
 * A download through scp from the Windows host, for
 * {@linkcode fetchArtifacts}: more SFTP reads in flight than plain scp, and
 * plain scp again if this scp is older than OpenSSH 9.0 (no `-X`).
 */
export function windowsDownload(
  ssh: SshClient,
  options: { signal?: AbortSignal } = {},
): (remote: string, local: string) => Promise<boolean> {
  let tuned = true;
  return async (remote, local) => {
    if (tuned) {
      const result = await ssh.download(remote, local, {
        ...options,
        sftpRequests: SFTP_REQUESTS,
      });
      if (result.code === 0) return true;
      if (!unsupportedOption(result.stderr)) return false;
      tuned = false;
    }
    const result = await ssh.download(remote, local, options);
    return result.code === 0;
  };
}
