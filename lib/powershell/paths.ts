/**
 * The tool's folders on Windows, written once, in Windows form. The script
 * bodies embed them; scp takes the forward-slash form {@linkcode scpPath}
 * derives.
 */

/** The tool's root on Windows, locked to SYSTEM and Administrators. */
export const WINDOWS_ROOT = "C:\\ProgramData\\win-automation";
/** Where runs keep their state on Windows, one folder per run id. */
export const RUN_DIR = `${WINDOWS_ROOT}\\run`;
/** Where each accepted restart request leaves its marker, one file per request id. */
export const REBOOT_DIR = `${WINDOWS_ROOT}\\reboot`;
/** Where job artifacts are mirrored on Windows, one folder per job id. */
export const WINDOWS_ARTIFACT_DIR = `${WINDOWS_ROOT}\\artifacts`;
/** Where the Playwright server lives on Windows. */
export const PLAYWRIGHT_DIR = `${WINDOWS_ROOT}\\playwright`;

/**
 * A Windows path as scp takes it (`C:/ProgramData/...`), with `parts`
 * (relative, forward slashes) joined below it.
 */
export function scpPath(windowsPath: string, ...parts: string[]): string {
  return [windowsPath.replaceAll("\\", "/"), ...parts].join("/");
}
