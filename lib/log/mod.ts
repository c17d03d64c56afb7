/**
 * The key=value logging schema: encoding, parsing, the logger (scoped once
 * per component and op) and the result lines a command prints on stdout.
 * @module
 */
export { encodeLine, encodeValue, parseLine } from "./logfmt.ts";
export type { Fields, FieldValue } from "./logfmt.ts";
export {
  Logger,
  MAX_FIELD_CHARS,
  ScopedLogger,
  withoutStack,
} from "./logger.ts";
export type { Component, ErrorFields, Level, LoggerOptions } from "./logger.ts";
export { ResultLog } from "./result.ts";
export type { ResultLogOptions } from "./result.ts";
