/**
 * One redactor for every sink: logs, printed errors, job errors and outputs
 * sent to Hatchet, artifacts, manifests and metrics. It knows the secrets of
 * the resolved config and every form they may take.
 * @module
 */
export { REDACTED, Redactor, secretForms } from "./redactor.ts";
