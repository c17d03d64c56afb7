import { assert } from "@test/assert";
import { Logger, parseLine } from "../log/mod.ts";
import { sdkLogger } from "./sdk_logger.ts";

function errorWithStack(): Error {
  const inner = new Error("inner boom");
  const error = new Error(
    "outer boom\n    at fake (file:///x.ts:1:2)\n    at other (file:///y.ts:3:4)",
    { cause: inner },
  );
  error.stack = `Error: outer boom\n    at fake (file:///x.ts:1:2)`;
  return error;
}

/** Every field of every line, decoded (escapes undone). */
function decoded(lines: string[]): string {
  return lines.map((l) => Object.values(parseLine(l)).join("\n")).join("\n");
}

Deno.test("no logging path writes a stack trace: Logger.error/log/warn/with and the SDK logger's warn/error/extra", () => {
  const lines: string[] = [];
  const logger = new Logger({ write: (l) => lines.push(l), debug: true });
  const error = errorWithStack();
  logger.scope("cli", "t").error("failed", { err: error });
  logger.scope("cli", "t").log("error", "failed", { err: error.stack });
  logger.with({ job_id: "j" }).scope("hatchet", "t").warn("warned", {
    err: String(error.stack),
  });
  const sdk = sdkLogger(logger, "worker")("ctx");
  sdk.error("sdk failed", error, { detail: error, stack: error.stack });
  sdk.warn("sdk warned\n    at here (file:///z.ts:1:1)", error);
  sdk.info("sdk info", { nested: { error } });
  assert.equal(lines.length, 6);
  const text = decoded(lines);
  assert.ok(!text.includes("    at "), text);
  assert.ok(text.includes("outer boom"), "the message itself is kept");
  for (const line of lines) assert.ok(!line.includes("\n"));

  // negative control: the same decoding does show a stack that is written raw
  const raw = decoded([`ts=x msg="a\\n    at f (file:///x.ts:1:2)"`]);
  assert.ok(raw.includes("    at "));
});
