import { quote } from "../errors/mod.ts";

/** Options for {@linkcode pageUrlProblem}. */
export interface PageUrlOptions {
  /** `playwright.allow_file_urls`: any scheme (`file:` included) is allowed. @default false */
  allowFileUrls?: boolean;
}

/**
 * Why a page URL may not be opened, or undefined when it may: an http or
 * https URL with a host; `file:` and every other scheme only with
 * `playwright.allow_file_urls=on` (a browser on Windows reading local files
 * or talking to other schemes is a capability the operator grants).
 */
export function pageUrlProblem(
  text: string,
  options: PageUrlOptions = {},
): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `must be an http or https URL, got ${quote(text)}`;
  }
  const web = url.protocol === "http:" || url.protocol === "https:";
  if (web && url.hostname !== "") return undefined;
  if (web) {
    return `must be an http or https URL with a host, got ${quote(text)}`;
  }
  if (options.allowFileUrls) return undefined;
  return `must be an http or https URL (${url.protocol} and other schemes need playwright.allow_file_urls=on), got ${
    quote(text)
  }`;
}
