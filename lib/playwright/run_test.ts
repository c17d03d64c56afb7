import { assert, assertExcludes, rejects } from "@test/assert";
import type { BrowserType } from "playwright-core";
import { OperationalError, TimeoutError } from "../errors/mod.ts";
import { runPlaywright } from "./run.ts";

const target = {
  host: "127.0.0.1",
  port: 9323,
  wsPath: "s3cret-ws-path-0123456789-ABCDEFGHIJ",
};

interface FakeOptions {
  /** What goto() throws, if anything. */
  gotoError?: Error;
  /** newPage() fails when the context records video. */
  noFfmpeg?: boolean;
  /** tracing.stop() writes nothing. */
  traceLost?: boolean;
}

/** A chromium whose browser writes small files where it is told to. */
function fakeChromium(o: FakeOptions = {}) {
  const write = (path: string) => Deno.writeTextFile(path, "bytes");
  const browser = {
    newContext: (options?: { recordVideo?: unknown }) => {
      const video = options?.recordVideo !== undefined;
      const page = {
        setDefaultTimeout: () => {},
        goto: () =>
          o.gotoError
            ? Promise.reject(o.gotoError)
            : Promise.resolve({ status: () => 200 }),
        title: () => Promise.resolve("t"),
        screenshot: ({ path }: { path: string }) => write(path),
        video: () => video ? { saveAs: (path: string) => write(path) } : null,
      };
      return Promise.resolve({
        tracing: {
          start: () => Promise.resolve(),
          stop: ({ path }: { path: string }) =>
            o.traceLost ? Promise.resolve() : write(path),
        },
        newPage: () =>
          video && o.noFfmpeg
            ? Promise.reject(
              new Error(
                "browserContext.newPage: Executable doesn't exist at /x/ffmpeg-1011/ffmpeg-linux",
              ),
            )
            : Promise.resolve(page),
        close: () => Promise.resolve(),
      });
    },
    close: () => Promise.resolve(),
  };
  return () =>
    Promise.resolve(
      { connect: () => Promise.resolve(browser) } as unknown as BrowserType,
    );
}

async function run(o: FakeOptions, flags = {
  screenshot: true,
  trace: true,
  video: true,
}) {
  const dir = await Deno.makeTempDir();
  const result = await runPlaywright(target, {
    url: "http://lab/",
    timeoutMs: 5000,
    dir,
    ...flags,
    load: fakeChromium(o),
  });
  return { dir, result };
}

Deno.test("runPlaywright() saves every requested artifact into dir and completes", async () => {
  const { dir, result } = await run({});
  assert.equal(result.state, "completed");
  assert.equal(result.httpStatus, 200);
  assert.deepEqual(result.artifacts, {
    screenshot: `${dir}/screenshot.png`,
    trace: `${dir}/trace.zip`,
    video: `${dir}/video.webm`,
  });
  assert.deepEqual(result.missing, []);
});

Deno.test("runPlaywright() is partial when a requested file does not arrive or the server cannot record video", async () => {
  const lost = await run({ traceLost: true });
  assert.equal(lost.result.state, "partial");
  assert.deepEqual(lost.result.missing, [
    { kind: "trace", why: "the file did not arrive" },
  ]);
  const noVideo = await run({ noFfmpeg: true });
  assert.equal(noVideo.result.state, "partial");
  assert.deepEqual(noVideo.result.missing.map((m) => m.kind), ["video"]);
  assert.ok(noVideo.result.artifacts.screenshot, "the rest is still saved");
});

Deno.test("runPlaywright() maps a load timeout to exit 4 and a failed load to exit 1, without the ws path", async () => {
  const timeout = Object.assign(
    new Error("page.goto: Timeout 5000ms exceeded."),
    {
      name: "TimeoutError",
    },
  );
  const slow = await rejects(() => run({ gotoError: timeout }));
  assert.ok(slow instanceof TimeoutError);
  assert.match(slow.message, /no load event within 5000ms/);
  const refused = await rejects(() =>
    run({
      gotoError: new Error(
        `page.goto: net::ERR_CONNECTION_REFUSED at http://lab/\nCall log: ws://x/${target.wsPath}`,
      ),
    })
  );
  assert.ok(refused instanceof OperationalError);
  assert.equal(
    refused.message,
    "Cannot load http://lab/: net::ERR_CONNECTION_REFUSED at http://lab/",
  );
  assertExcludes(refused.message, target.wsPath);
});
