/**
 * Hatchet's engine binaries, built from its Go module into a cache outside
 * the checkout: `${WIN_AUTOMATION_HATCHET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/win-automation/hatchet}/<version>/bin`.
 * @module
 */
import { runText, withLock } from "../linux/mod.ts";

/** The Go module the engine is built from. */
export const HATCHET_MODULE = "github.com/hatchet-dev/hatchet";

/** The binaries the lab needs, each from `./cmd/<name>` of the module. */
export const HATCHET_BINARIES = [
  "hatchet-migrate",
  "hatchet-admin",
  "hatchet-lite",
] as const;

/** Where built binaries are cached, per version. */
export function hatchetCacheDir(): string {
  const override = Deno.env.get("WIN_AUTOMATION_HATCHET_CACHE");
  if (override) return override.replace(/\/+$/, "");
  const cache = Deno.env.get("XDG_CACHE_HOME") ||
    `${Deno.env.get("HOME") || "/root"}/.cache`;
  return `${cache.replace(/\/+$/, "")}/win-automation/hatchet`;
}

/** The directory holding the binaries of `version`. */
export function hatchetBinDir(version: string): string {
  return `${hatchetCacheDir()}/${version}/bin`;
}

async function complete(bin: string): Promise<boolean> {
  for (const name of HATCHET_BINARIES) {
    const info = await Deno.stat(`${bin}/${name}`).catch(() => null);
    if (!info?.isFile || ((info.mode ?? 0) & 0o111) === 0) return false;
  }
  return true;
}

function progress(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`hatchet: ${line}\n`));
}

/** The `go` program: on PATH, else Go's default install location. */
export async function findGo(): Promise<string | null> {
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d);
  for (const dir of [...dirs, "/usr/local/go/bin"]) {
    const info = await Deno.stat(`${dir}/go`).catch(() => null);
    if (info?.isFile && ((info.mode ?? 0) & 0o111) !== 0) return `${dir}/go`;
  }
  return null;
}

function go(
  goPath: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
) {
  return runText(goPath, args, { cwd, env });
}

function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Downloads the module and builds it inside the module cache directory.
 * `go install <pkg>@<version>` is not used: it reads the module's version
 * list (deprecation check), which some proxies refuse.
 */
async function build(version: string, bin: string): Promise<void> {
  const goPath = await findGo();
  if (goPath === null) {
    throw new Error(
      `Cannot build Hatchet ${version}: Go is not installed (looked on PATH and in /usr/local/go/bin). ` +
        `Install Go 1.26 or newer (Hatchet's go.mod requires go 1.26; Debian's golang package is older) ` +
        `from https://go.dev/dl/ into /usr/local/go, then run this again.`,
    );
  }
  const versionDir = bin.slice(0, bin.lastIndexOf("/"));
  for await (const entry of Deno.readDir(versionDir)) {
    // Left by a build that died; we hold the build lock, so none runs.
    if (entry.name.startsWith("bin.tmp-")) {
      await Deno.remove(`${versionDir}/${entry.name}`, { recursive: true });
    }
  }
  const started = Date.now();
  progress(`downloading Go module ${HATCHET_MODULE}@${version} (first run)`);
  const download = await go(
    goPath,
    ["mod", "download", "-json", `${HATCHET_MODULE}@${version}`],
    versionDir,
    { GOFLAGS: "-mod=mod" },
  );
  let source = "";
  try {
    const info = JSON.parse(download.stdout) as {
      Dir?: string;
      Error?: string;
    };
    if (info.Error) throw new Error(info.Error);
    source = info.Dir ?? "";
  } catch (error) {
    const why = error instanceof SyntaxError
      ? tail(download.stderr || download.stdout)
      : (error as Error).message;
    throw new Error(
      `Cannot download ${HATCHET_MODULE}@${version} with ${goPath}: ${why}`,
    );
  }
  if (!download.ok || !source) {
    throw new Error(
      `Cannot download ${HATCHET_MODULE}@${version}: ${tail(download.stderr)}`,
    );
  }
  const tmp = `${versionDir}/bin.tmp-${Deno.pid}`;
  await Deno.mkdir(tmp, { recursive: true });
  for (const name of HATCHET_BINARIES) {
    progress(`building ${name} ${version} (first run, ~2 min for all three)`);
    const t0 = Date.now();
    const built = await go(
      goPath,
      [
        "build",
        "-trimpath",
        // main.Version is what the engine reports (/api/v1/version, gRPC
        // GetVersion); SDKs choose features from it. Unset it is v0.1.0-alpha.0.
        "-ldflags",
        `-s -w -X main.Version=${version}`,
        "-o",
        `${tmp}/${name}`,
        `./cmd/${name}`,
      ],
      source,
      { GOFLAGS: "-buildvcs=false -p=2", CGO_ENABLED: "0" },
    );
    if (!built.ok) {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      throw new Error(
        `Cannot build ${name} ${version} in ${source}: ${tail(built.stderr)}`,
      );
    }
    progress(`built ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  await Deno.remove(bin, { recursive: true }).catch(() => {});
  await Deno.rename(tmp, bin);
  progress(
    `${version} ready in ${bin} after ${
      ((Date.now() - started) / 1000).toFixed(1)
    } s`,
  );
}

/**
 * The directory holding hatchet-migrate, hatchet-admin and hatchet-lite of
 * `version`, built on first use (under a lock, so concurrent callers build
 * once; into a temp directory renamed into place, so a half build is never
 * used).
 */
export async function ensureHatchetBinaries(version: string): Promise<string> {
  const bin = hatchetBinDir(version);
  if (await complete(bin)) return bin;
  const versionDir = bin.slice(0, bin.lastIndexOf("/"));
  await Deno.mkdir(versionDir, { recursive: true });
  return await withLock(`${versionDir}/build.lock`, async () => {
    if (!await complete(bin)) await build(version, bin);
    return bin;
  }, { timeoutMs: 30 * 60_000 });
}
