/**
 * Configuration: the zod input schema, the env mapping, precedence
 * (defaults < file < env) and the resolved config.
 * @module
 */
export { loadConfig, secretsOf, settingName } from "./load.ts";
export type { LoadConfigOptions } from "./load.ts";
export { configFileSchema } from "./schema.ts";
export type { ConfigFileInput } from "./schema.ts";
export { CANCEL_FLOOR_MS, limitsOf } from "./limits.ts";
export type { Limits } from "./limits.ts";
export { FIELDS } from "./fields.ts";
export type { FieldSpec } from "./fields.ts";
export type {
  ConfigEntry,
  ConfigSource,
  ResolvedConfig,
  Via,
} from "./resolved.ts";
export { formatDuration, parseDuration } from "../duration/mod.ts";
