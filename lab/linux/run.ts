/** What a finished program left, as text. */
export interface TextOutput {
  code: number;
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end with no stdin and returns its output as text. */
export async function runText(
  program: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<TextOutput> {
  const output = await new Deno.Command(program, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: output.code,
    ok: output.success,
    stdout: text(output.stdout),
    stderr: text(output.stderr),
  };
}
