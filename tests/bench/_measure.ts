/** One command to time: program and arguments. */
export interface Cmd {
  label: string;
  program: string;
  args: string[];
  env?: Record<string, string>;
}

/** Runs a command once and returns its wall time in ms; fails on a non-zero exit. */
export async function timeOnce(cmd: Cmd): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(cmd.program, {
    args: cmd.args,
    env: cmd.env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const ms = performance.now() - start;
  if (out.code !== 0) {
    throw new Error(
      `Cannot measure "${cmd.label}": exit ${out.code}: ${
        new TextDecoder().decode(out.stderr).slice(0, 400)
      }`,
    );
  }
  return ms;
}

/** The median of a list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Times two commands side by side, interleaved so that machine noise hits
 * both alike, after `warmup` untimed runs of each. Returns both medians.
 */
export async function compare(
  subject: Cmd,
  baseline: Cmd,
  options: { runs: number; warmup: number; before?: () => Promise<void> },
): Promise<{ subject: number; baseline: number }> {
  for (let i = 0; i < options.warmup; i++) {
    await options.before?.();
    await timeOnce(subject);
    await options.before?.();
    await timeOnce(baseline);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    await options.before?.();
    a.push(await timeOnce(subject));
    await options.before?.();
    b.push(await timeOnce(baseline));
  }
  return { subject: median(a), baseline: median(b) };
}

/** A loopback TCP port that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Times several commands in turn, round after round, after `warmup` untimed
 * rounds; returns each one's median, in the order given.
 */
export async function interleave(
  cmds: Cmd[],
  options: { runs: number; warmup: number },
): Promise<number[]> {
  for (let i = 0; i < options.warmup; i++) {
    for (const cmd of cmds) await timeOnce(cmd);
  }
  const times: number[][] = cmds.map(() => []);
  for (let i = 0; i < options.runs; i++) {
    for (const [k, cmd] of cmds.entries()) times[k]!.push(await timeOnce(cmd));
  }
  return times.map(median);
}
