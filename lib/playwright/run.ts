import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  errorMessage,
  OperationalError,
  TimeoutError as WaTimeoutError,
} from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { LoadChromium } from "./_load.ts";
import { connectPlaywright } from "./connect.ts";
import { type PlaywrightTarget, scrubMessage } from "./endpoint.ts";

/** The artifacts a run can be asked for, and their file names. */
export const ARTIFACT_FILES = {
  screenshot: "screenshot.png",
  trace: "trace.zip",
  video: "video.webm",
} as const;

/** One artifact kind. */
export type ArtifactKind = keyof typeof ARTIFACT_FILES;

/** Options for {@linkcode runPlaywright}. */
export interface RunOptions {
  /** The page to open. */
  url: string;
  /** Time limit of the whole run (connect, load, artifacts) in ms. */
  timeoutMs: number;
  /**
   * The directory the artifacts land in (`<out_dir>/<job_id>/playwright`);
   * created when an artifact is asked for.
   */
  dir: string;
  /** Take a full-page screenshot after the load. @default false */
  screenshot?: boolean;
  /** Record a Playwright trace. @default false */
  trace?: boolean;
  /** Record a video of the page. @default false */
  video?: boolean;
  /** Stops the run (the browser connection is closed). @default undefined */
  signal?: AbortSignal;
  /** Receives debug lines. @default undefined */
  logger?: Logger;
  /** Loads playwright-core. @default the real one, lazily */
  load?: LoadChromium;
}

/** What a run left. */
export interface RunResult {
  /** `completed`, or `partial` when a requested artifact did not arrive. */
  state: "completed" | "partial";
  /** The HTTP status of the main document, if there was one. */
  httpStatus?: number;
  /** The page's title after the load. */
  title: string;
  /** The artifacts that arrived: kind to path. */
  artifacts: Partial<Record<ArtifactKind, string>>;
  /** The requested artifacts that did not arrive, with why. */
  missing: Array<{ kind: ArtifactKind; why: string }>;
}

async function nonEmptyFile(path: string): Promise<boolean> {
  const info = await Deno.stat(path).catch(() => null);
  return !!info?.isFile && info.size > 0;
}

/**
 * Opens `url` in a new context of the Playwright server and waits for its
 * load event, then saves the requested artifacts straight into `dir` (over
 * the connection, Playwright streams screenshots, traces and videos to the
 * client). A requested artifact that does not arrive makes the run
 * `partial`; failing to connect throws a DependencyError, running out of
 * time a TimeoutError, a page that cannot be loaded an OperationalError.
 */
export async function runPlaywright(
  target: PlaywrightTarget,
  options: RunOptions,
): Promise<RunResult> {
  const { url, timeoutMs, dir, signal, logger } = options;
  const wanted = (["screenshot", "trace", "video"] as const).filter((k) =>
    options[k]
  );
  const deadline = Date.now() + timeoutMs;
  const left = () => {
    const ms = deadline - Date.now();
    if (ms <= 0) {
      throw new WaTimeoutError(
        `Cannot finish the Playwright run of ${url}: over ${timeoutMs}ms`,
        { fields: { state: "timeout" } },
      );
    }
    return ms;
  };
  const path = (kind: ArtifactKind) => `${dir}/${ARTIFACT_FILES[kind]}`;
  if (wanted.length > 0) await Deno.mkdir(dir, { recursive: true });
  signal?.throwIfAborted();
  const browser = await connectPlaywright(target, {
    timeoutMs: left(),
    load: options.load,
  });
  const onAbort = () => void browser.close().catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  const missing: RunResult["missing"] = [];
  try {
    const { context, page, videoProblem } = await openPage(
      browser,
      wanted.includes("video") ? dir : undefined,
    );
    if (videoProblem) {
      missing.push({ kind: "video", why: scrub(videoProblem, target) });
      logger?.scope("playwright", "playwright.run").warn("video unavailable", {
        err: scrub(videoProblem, target),
      });
    }
    if (options.trace) {
      await context.tracing.start({ screenshots: true, snapshots: true });
    }
    page.setDefaultTimeout(left());
    let response;
    try {
      response = await page.goto(url, { waitUntil: "load", timeout: left() });
    } catch (error) {
      throw pageError(error, url, timeoutMs, target, signal);
    }
    const title = await page.title();
    const tryArtifact = async (
      kind: ArtifactKind,
      save: () => Promise<unknown>,
    ) => {
      try {
        await save();
      } catch (error) {
        missing.push({ kind, why: scrub(error, target) });
      }
    };
    if (options.screenshot) {
      await tryArtifact("screenshot", () =>
        page.screenshot({
          path: path("screenshot"),
          fullPage: true,
          timeout: left(),
        }));
    }
    if (options.trace) {
      await tryArtifact(
        "trace",
        () => context.tracing.stop({ path: path("trace") }),
      );
    }
    const video = page.video();
    await context.close();
    if (options.video && video && !videoProblem) {
      await tryArtifact("video", () => video.saveAs(path("video")));
    }
    const artifacts: RunResult["artifacts"] = {};
    for (const kind of wanted) {
      if (missing.some((m) => m.kind === kind)) continue;
      if (await nonEmptyFile(path(kind))) artifacts[kind] = path(kind);
      else missing.push({ kind, why: "the file did not arrive" });
    }
    return {
      state: missing.length > 0 ? "partial" : "completed",
      httpStatus: response?.status(),
      title,
      artifacts,
      missing,
    };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await browser.close().catch(() => {});
  }
}

/**
 * A new context and page; with `videoDir`, recording video. When the server
 * cannot record (no ffmpeg there), the page is opened without video and the
 * reason returned, so the run still does the rest.
 */
async function openPage(
  browser: Browser,
  videoDir: string | undefined,
): Promise<{ context: BrowserContext; page: Page; videoProblem?: string }> {
  if (videoDir === undefined) {
    const context = await browser.newContext();
    return { context, page: await context.newPage() };
  }
  const context = await browser.newContext({ recordVideo: { dir: videoDir } });
  try {
    return { context, page: await context.newPage() };
  } catch (error) {
    await context.close().catch(() => {});
    const text = errorMessage(error);
    if (!/ffmpeg/i.test(text)) throw error;
    const plain = await browser.newContext();
    return { context: plain, page: await plain.newPage(), videoProblem: text };
  }
}

function scrub(error: unknown, target: PlaywrightTarget): string {
  return scrubMessage(
    errorMessage(error),
    target.wsPath,
  );
}

function pageError(
  error: unknown,
  url: string,
  timeoutMs: number,
  target: PlaywrightTarget,
  signal?: AbortSignal,
): Error {
  if (signal?.aborted) return signal.reason;
  if (error instanceof WaTimeoutError) return error;
  if (error instanceof Error && error.name === "TimeoutError") {
    return new WaTimeoutError(
      `Cannot load ${url}: no load event within ${timeoutMs}ms`,
      { cause: error, fields: { state: "timeout" } },
    );
  }
  return new OperationalError(
    `Cannot load ${url}: ${scrub(error, target).replace(/^page\.goto: /, "")}`,
    { cause: error },
  );
}
