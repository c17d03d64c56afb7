// Start-up of @stricli/core alone: the framework measured against this
// project's own router (lib/cli), which imports nothing.
import { buildApplication } from "@stricli/core";
// deno-lint-ignore no-console
console.log(typeof buildApplication);
