/**
 * The key=value logging schema: encoding, parsing and the logger.
 * @module
 */
export { encodeLine, encodeValue, parseLine } from "./logfmt.ts";
export type { Fields, FieldValue } from "./logfmt.ts";
export { Logger, MAX_FIELD_CHARS, withoutStack } from "./logger.ts";
export type { Component, Level, LoggerOptions } from "./logger.ts";
