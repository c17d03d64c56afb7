/**
 * The emulated Windows PowerShell 5.1 (`<lab>/winbin/powershell`, run as
 * `main.ts`): what other lab folders share with it: CLIXML, OEM code pages,
 * its journal's entries and the Playwright task it installs. See ../README.md.
 * @module
 */
export { clixmlErrors } from "./clixml_read.ts";
export { CLIXML_HEADER, clixmlErrorLines } from "./clixml_write.ts";
export { decodeCodePage, encodeCodePage } from "./code_pages.ts";
export type { JournalEntry } from "./main.ts";
export { LOCAL_SERVICE, PLAYWRIGHT_TASK } from "./playwright_kinds.ts";
