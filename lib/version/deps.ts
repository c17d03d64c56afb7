import denoJson from "../../deno.json" with { type: "json" };

/**
 * The pinned version of an npm dependency, read from `deno.json`'s import map
 * (the single source of truth). Returns "unknown" when it is not pinned.
 */
export function pinnedVersion(name: string): string {
  const spec = (denoJson.imports as Record<string, string>)[name] ?? "";
  const match = spec.match(/@(\d+\.\d+\.\d+[^/]*)$/);
  return match?.[1] ?? "unknown";
}
