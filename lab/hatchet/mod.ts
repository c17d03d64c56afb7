/**
 * The real Hatchet-lite engine: built from its Go module, set up on
 * PostgreSQL, started and stopped as a lab component.
 * @module
 */
export {
  HATCHET_VERSION,
  hatchetBinaries,
  hatchetPid,
  startHatchet,
  stopHatchet,
} from "./component.ts";
