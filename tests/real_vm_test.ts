// deno-lint-ignore-file no-console
import { REAL_VM } from "./_target.ts";

if (!REAL_VM) {
  console.error(
    "real-VM run skipped: the integration tests ran against the local lab; set WIN_AUTOMATION_INTEGRATION=1 and the VM's WIN_AUTOMATION_* env to run them against a real Windows VM",
  );
}

Deno.test({
  name:
    "real Windows VM target (needs WIN_AUTOMATION_INTEGRATION=1 and its WIN_AUTOMATION_* env)",
  ignore: !REAL_VM,
  fn: () => {
    for (
      const key of [
        "WIN_AUTOMATION_WINDOWS_SSH_HOST",
        "WIN_AUTOMATION_ALOHA_SERVER_URL",
      ]
    ) {
      if (!Deno.env.get(key)) {
        throw new Error(`Cannot run against a real VM: ${key} is not set`);
      }
    }
  },
});
