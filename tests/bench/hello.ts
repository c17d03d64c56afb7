// The baseline for start-up: the smallest Deno program.
// deno-lint-ignore no-console
console.log("hello");
