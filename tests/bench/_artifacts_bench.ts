import { hashFile, JobArtifacts } from "../../lib/artifacts/mod.ts";
import { sshOptions, type SshTarget } from "../../lib/ssh/mod.ts";
import { type Cmd, compare, median } from "./_measure.ts";

const SIZE_MB = 200;

/** Options for {@linkcode artifactsFetchBench}. */
export interface ArtifactsBenchOptions {
  /** The lab env. */
  env: Record<string, string>;
  target: SshTarget;
  runs: number;
  /** Builds a CLI command with extra env. */
  cli: (args: string[], extra: Record<string, string>) => Cmd;
}

async function writeRandom(path: string, mb: number) {
  using file = await Deno.open(path, { write: true, create: true });
  const chunk = new Uint8Array(1024 * 1024);
  for (let i = 0; i < mb; i++) {
    for (let off = 0; off < chunk.length; off += 65536) {
      crypto.getRandomValues(chunk.subarray(off, off + 65536));
    }
    await file.write(chunk);
  }
}

/**
 * Makes a finished job whose 200 MB artifact is only in the lab's Windows
 * root, then times `artifacts fetch` against plain scp of the same file.
 * Returns each side's throughput in MB/s (medians), and for attribution the
 * CPU time of hashing the file alone next to the scp time.
 */
export async function artifactsFetchBench(
  options: ArtifactsBenchOptions,
): Promise<
  { subjectMBps: number; baselineMBps: number; hashMs: number; scpMs: number }
> {
  const { env, target, runs, cli } = options;
  const outDir = await Deno.makeTempDir({ prefix: "wa-bench-art-" });
  const dest = await Deno.makeTempDir({ prefix: "wa-bench-art-dest-" });
  const art = await JobArtifacts.begin({
    outDir,
    jobId: crypto.randomUUID(),
    traceId: "bench",
  });
  const rel = "playwright/big.bin";
  await art.put(rel, new Uint8Array());
  await writeRandom(`${art.root}/${rel}`, SIZE_MB);
  await art.finish("completed");
  const winRoot =
    `${env.WIN_AUTOMATION_LAB_DIR}/fs/C:/ProgramData/win-automation/artifacts/${art.jobId}`;
  await Deno.mkdir(`${winRoot}/playwright`, { recursive: true });
  await Deno.rename(`${art.root}/${rel}`, `${winRoot}/${rel}`).catch(
    async () => {
      await Deno.copyFile(`${art.root}/${rel}`, `${winRoot}/${rel}`);
      await Deno.remove(`${art.root}/${rel}`);
    },
  );
  const remote = `C:/ProgramData/win-automation/artifacts/${art.jobId}/${rel}`;
  try {
    const r = await compare(
      cli(["artifacts", "fetch", "--job", art.jobId, "--out", dest], {
        WIN_AUTOMATION_ARTIFACT_OUT: outDir,
      }),
      {
        label: "plain scp",
        program: "scp",
        args: [
          "-q",
          ...sshOptions(target),
          "--",
          `${target.host}:${remote}`,
          `${dest}/plain.bin`,
        ],
      },
      {
        runs,
        warmup: 1,
        before: () =>
          Deno.remove(dest, { recursive: true }).catch(() => {}).then(() =>
            Deno.mkdir(dest, { recursive: true })
          ),
      },
    );
    const hashes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await hashFile(`${winRoot}/${rel}`);
      hashes.push(performance.now() - t);
    }
    return {
      subjectMBps: SIZE_MB / (r.subject / 1000),
      baselineMBps: SIZE_MB / (r.baseline / 1000),
      hashMs: median(hashes),
      scpMs: r.baseline,
    };
  } finally {
    await Deno.remove(outDir, { recursive: true });
    await Deno.remove(dest, { recursive: true });
    await Deno.remove(winRoot, { recursive: true });
  }
}
