/**
 * Live heap of a Deno process started with `--inspect=127.0.0.1:<port>`,
 * after a full garbage collection, through V8's inspector protocol
 * (`HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage`).
 * @module
 */

/** Used V8 heap in MiB right after a full GC of the process at `port`. */
export async function heapAfterGcMiB(port: number): Promise<number> {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`))
    .json() as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${port}`);
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot open ${url}`));
  });
  let next = 0;
  const pending = new Map<
    number,
    {
      resolve: (r: Record<string, unknown>) => void;
      reject: (e: Error) => void;
    }
  >();
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as {
      id?: number;
      result?: Record<string, unknown>;
      error?: { message: string };
    };
    const call = m.id === undefined ? undefined : pending.get(m.id);
    if (!call) return;
    pending.delete(m.id!);
    if (m.error) call.reject(new Error(`inspector: ${m.error.message}`));
    else call.resolve(m.result ?? {});
  };
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method }));
    });
  try {
    await call("HeapProfiler.enable");
    await call("HeapProfiler.collectGarbage");
    const usage = await call("Runtime.getHeapUsage");
    return Number(usage.usedSize) / (1024 * 1024);
  } finally {
    ws.close();
  }
}
