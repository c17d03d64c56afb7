import { errorMessage } from "../errors/mod.ts";
import { dirname, relative } from "../fs/mod.ts";
import type { Logger } from "../log/mod.ts";
import { Redactor } from "../redact/mod.ts";
import { hashFile } from "./hash.ts";
import {
  type ArtifactEntry,
  type Manifest,
  writeManifest,
} from "./manifest.ts";
import { removeMarker, writeMarker } from "./marker.ts";
import {
  isSafeRelPath,
  jobRootOf,
  MANIFEST_FILE,
  RUNNING_FILE,
} from "./paths.ts";

/**
 * Uploads a finished job root to Windows; throws on failure. Resolves with
 * the relative paths it left out (symlinks, never followed), if any.
 */
export type MirrorFn = (
  root: string,
  jobId: string,
  entries: ArtifactEntry[],
) => Promise<{ skipped?: string[] } | void>;

/** Options for {@linkcode JobArtifacts.begin}. */
export interface BeginOptions {
  /** `artifacts.out_dir`. */
  outDir: string;
  /** The job (run) id; checked before it becomes a path. */
  jobId: string;
  traceId: string;
  /** The target the job ran for, in the manifest. @default undefined: no `target` */
  target?: string;
  /** Uploads the root to Windows after the manifest; off when absent. @default undefined */
  mirror?: MirrorFn;
  /** Receives a warning when the mirror fails. @default undefined */
  logger?: Logger;
  /** The clock. @default Date.now */
  now?: () => number;
  /** This host's name, for the marker and the manifest. @default Deno.hostname() */
  hostname?: string;
  /**
   * Redacts every file `put` writes and the manifest (the config's secrets).
   * @default the logger's redactor, else none
   */
  redactor?: Redactor;
}

const TYPES: Record<string, string> = {
  "ssh/stdout.txt": "stdout",
  "ssh/stderr.txt": "stderr",
  "ssh/exit_code.txt": "exit_code",
  "aloha/response.json": "response",
  "aloha/client_log.txt": "client_log",
  "playwright/screenshot.png": "screenshot",
  "playwright/trace.zip": "trace",
  "playwright/video.webm": "video",
};

/** The manifest `type` of a relative path. */
export function artifactTypeOf(rel: string): string {
  return TYPES[rel] ?? "file";
}

/**
 * One job's artifact root, from start to manifest: `begin` creates
 * `<out_dir>/<job_id>/` with a `.running` marker; `put` writes files into it;
 * `finish` hashes every regular file in the root, writes the manifest
 * atomically, removes the marker and, when configured, mirrors the root to
 * Windows (a mirror failure is logged and recorded in the manifest, never
 * thrown).
 */
export class JobArtifacts {
  /** The absolute job root. */
  readonly root: string;
  readonly jobId: string;
  /** The Linux host holding the root (the manifest's `host`). */
  readonly host: string;
  #o: BeginOptions;
  #now: () => number;
  #redactor: Redactor;
  #finished = false;
  #marker?: Deno.FsFile;
  /** Set when a requested artifact did not arrive: the manifest says `partial`. */
  partial = false;

  private constructor(root: string, options: BeginOptions) {
    this.root = root;
    this.jobId = options.jobId.toLowerCase();
    this.host = options.hostname ?? Deno.hostname();
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#redactor = options.redactor ?? options.logger?.redactor ??
      new Redactor();
  }

  /**
   * Creates the job root and its in-progress marker. A root left by an
   * earlier attempt of the same job is emptied first, so the manifest
   * describes this attempt only.
   */
  static async begin(options: BeginOptions): Promise<JobArtifacts> {
    const root = jobRootOf(options.outDir, options.jobId);
    await Deno.remove(root, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
    await Deno.mkdir(root, { recursive: true });
    const art = new JobArtifacts(root, options);
    art.#marker = await writeMarker(root, {
      host: art.host,
      pid: Deno.pid,
      started_at: new Date(art.#now()).toISOString(),
    });
    return art;
  }

  /**
   * Writes one file at `rel` (e.g. `ssh/stdout.txt`) inside the root, with
   * every secret redacted.
   */
  async put(rel: string, data: string | Uint8Array): Promise<void> {
    if (!isSafeRelPath(rel)) throw new Error(`unsafe artifact path "${rel}"`);
    const path = `${this.root}/${rel}`;
    await Deno.mkdir(dirname(path), { recursive: true });
    if (typeof data === "string") {
      await Deno.writeTextFile(path, this.#redactor.redact(data));
    } else await Deno.writeFile(path, this.#redactor.redactBytes(data));
  }

  /**
   * Writes the manifest with the job's terminal `state` (`partial` instead of
   * `completed` or `failed` when {@linkcode partial} is set) and removes the
   * marker; then mirrors. Runs once; later calls return undefined.
   */
  async finish(state: string): Promise<Manifest | undefined> {
    if (this.#finished) return undefined;
    this.#finished = true;
    const artifacts = await this.#entries();
    const manifest: Manifest = {
      job_id: this.jobId,
      trace_id: this.#o.traceId,
      ...(this.#o.target !== undefined ? { target: this.#o.target } : {}),
      host: this.host,
      created_at: new Date(this.#now()).toISOString(),
      state: this.partial && state !== "cancelled" ? "partial" : state,
      artifacts,
      ...(this.#o.mirror ? { mirror: { state: "pending" as const } } : {}),
    };
    await writeManifest(this.root, this.#redactor.redactJson(manifest));
    await removeMarker(this.root);
    this.#marker?.close();
    this.#marker = undefined;
    if (!this.#o.mirror) return manifest;
    try {
      const done = await this.#o.mirror(this.root, this.jobId, artifacts);
      const skipped = done?.skipped ?? [];
      manifest.mirror = skipped.length
        ? { state: "ok", skipped_symlinks: skipped }
        : { state: "ok" };
      if (skipped.length) {
        this.#o.logger?.scope("ssh", "artifacts.mirror").warn(
          "symlinks not mirrored",
          { job_id: this.jobId, skipped: skipped.join(",") },
        );
      }
    } catch (error) {
      const message = errorMessage(error);
      manifest.mirror = { state: "failed", error: message };
      this.#o.logger?.scope("ssh", "artifacts.mirror").warn("mirror failed", {
        job_id: this.jobId,
        err: message,
      });
    }
    await writeManifest(this.root, this.#redactor.redactJson(manifest));
    return manifest;
  }

  async #entries(): Promise<ArtifactEntry[]> {
    const entries: ArtifactEntry[] = [];
    const walk = async (dir: string) => {
      const names: Deno.DirEntry[] = [];
      for await (const e of Deno.readDir(dir)) names.push(e);
      names.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      for (const e of names) {
        const path = `${dir}/${e.name}`;
        const rel = relative(this.root, path);
        if (e.isDirectory) await walk(path);
        else if (
          e.isFile && rel !== MANIFEST_FILE && rel !== RUNNING_FILE &&
          !e.name.startsWith(`.${MANIFEST_FILE}.`) && isSafeRelPath(rel)
        ) {
          const digest = await hashFile(path);
          entries.push({
            type: artifactTypeOf(rel),
            path: rel,
            size_bytes: digest.size,
            sha256: digest.sha256,
          });
        }
      }
    };
    await walk(this.root);
    return entries;
  }
}
