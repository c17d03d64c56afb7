import type { Fields } from "../log/mod.ts";
import type { CheckName } from "./failpoint.ts";

/** What one probe of a check found. */
export interface ProbeOutcome {
  /** Whether the component is healthy. */
  ok: boolean;
  /** Why not, in words (for `err=`). @default undefined */
  reason?: string;
  /** Extra fields for the result line (e.g. `probe=port_listening`). @default {} */
  fields?: Fields;
}

/** What one remediation did; each converges, so a healthy system gives `unchanged`. */
export interface RemediationOutcome {
  /** `changed`: it acted; `unchanged`: nothing to do; `skipped`: it could not act. */
  state: "changed" | "unchanged" | "skipped";
  /** What it did or why it did not, in words. */
  msg: string;
  /** Extra fields (e.g. `rule=Aloha-7887`). @default {} */
  fields?: Fields;
}

/** What a probe or remediation may ask about the pass so far. */
export interface PassView {
  /** Whether an earlier check of this pass ended healthy. */
  healthy(name: CheckName): boolean;
}

/** One remediation step of a check. */
export interface Remediation {
  /** Its name in result lines (`remediation=<name>`), e.g. `firewall`. */
  name: string;
  /** Acts unless the system is already as it should be. */
  run(view: PassView): Promise<RemediationOutcome>;
}

/** One supervised check: a probe and the remediations that fix what it finds. */
export interface SupervisedCheck {
  /** The check's name, e.g. `aloha_server`. */
  name: CheckName;
  /** Looks, changes nothing; may throw (a failure, with the error's message). */
  probe(view: PassView): Promise<ProbeOutcome>;
  /** Run in order after a failed probe. Empty: nothing this tool can do. */
  remediations: Remediation[];
}
