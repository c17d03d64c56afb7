/**
 * The Aloha server and client emulators (`server.ts`, `client.ts`), their
 * knobs, and the component that runs them as scheduled tasks.
 * @module
 */
export {
  ALOHA_TASKS,
  alohaPort,
  alohaRecord,
  startAloha,
  stopAloha,
} from "./component.ts";
export { type AlohaKnobs, knobsPath } from "./knobs.ts";
