const p = [
  "../commands/windows/exec.ts",
  "../commands/_context.ts",
  "../lib/artifacts/mod.ts",
  "../lib/windows/mod.ts",
];
for (const x of p) await import(x);
console.log(1);
