// Start-up of the command framework alone, to attribute the CLI's start-up.
import { Command } from "@commander-js/extra-typings";
// deno-lint-ignore no-console
console.log(typeof Command);
