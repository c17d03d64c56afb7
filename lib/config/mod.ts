/**
 * Configuration: the field table and its checks, the env mapping, precedence
 * (defaults < file < env) and the resolved config.
 * @module
 */
export { loadConfig, secretsOf, settingName } from "./load.ts";
export type { LoadConfigOptions } from "./load.ts";
export { CANCEL_FLOOR_MS, limitsOf } from "./limits.ts";
export type { Limits } from "./limits.ts";
export { FIELDS } from "./fields.ts";
export type { FieldPath, FieldSpec } from "./fields.ts";
export { configForTarget, namesTargets, selectTargets } from "./select.ts";
export { DEFAULT_TARGET } from "./targets.ts";
export type {
  ConfigEntry,
  ConfigSource,
  ResolvedConfig,
  ResolvedTarget,
  Via,
} from "./resolved.ts";
export { formatDuration, parseDuration } from "../duration/mod.ts";
