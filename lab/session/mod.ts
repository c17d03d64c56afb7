/**
 * Win32-OpenSSH's session handling, sshd's `ForceCommand` (run as `main.ts`):
 * its journal of sessions. See ../README.md, "Sessions".
 * @module
 */
export { type SessionJournalEntry, sessionsJournalPath } from "./main.ts";
