const m = await import("./exec.js");
console.log(typeof m.default);
