import launchServerJs from "../../assets/launch-server.js" with {
  type: "text",
};
import installPs1 from "../../assets/install-playwright.ps1" with {
  type: "text",
};

/**
 * The Windows-side files of the Playwright server, embedded in the binary
 * (text imports), keyed by their file name on Windows.
 */
export const PLAYWRIGHT_ASSETS: Readonly<Record<string, string>> = {
  "launch-server.js": launchServerJs,
  "install-playwright.ps1": installPs1,
};
