import { z } from "zod";
import { FIELDS, fieldSchema, type FieldSpec } from "./fields.ts";

function secretInFile(spec: FieldSpec) {
  return z.unknown().refine(() => false, {
    error:
      `is a secret: set it only in the environment (${spec.env}), never in a config file`,
  });
}

function buildFileSchema() {
  const sections = new Map<string, Record<string, z.ZodType>>();
  const top: Record<string, z.ZodType> = {};
  for (const spec of FIELDS) {
    const schema = spec.secret ? secretInFile(spec) : fieldSchema(spec);
    const dot = spec.path.indexOf(".");
    if (dot < 0) {
      top[spec.path] = schema.optional();
      continue;
    }
    const section = spec.path.slice(0, dot);
    const key = spec.path.slice(dot + 1);
    if (!sections.has(section)) sections.set(section, {});
    sections.get(section)![key] = schema.optional();
  }
  for (const [name, shape] of sections) {
    top[name] = z.strictObject(shape, {
      error: (iss) => `must be an object, got ${JSON.stringify(iss.input)}`,
    }).optional();
  }
  return z.strictObject(top, { error: "must be a JSON object" });
}

let cached: ReturnType<typeof buildFileSchema> | undefined;

/**
 * The zod schema of the config file: what a user may write. Every key is
 * optional, unknown keys are errors, and secrets are refused. Built on first
 * use, so commands without a config file do not pay for it.
 */
export function configFileSchema(): ReturnType<typeof buildFileSchema> {
  return cached ??= buildFileSchema();
}

/** The parsed content of a config file. */
export type ConfigFileInput = z.input<ReturnType<typeof buildFileSchema>>;
