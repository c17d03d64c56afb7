/**
 * Files and directories that are trusted only after checking: private
 * directories, atomic O_EXCL writes, bounded reads of regular files; and
 * POSIX path arithmetic without node:path.
 * @module
 */
export { basename, dirname, relative, resolve } from "./path.ts";
export { distrust, ensurePrivateDir } from "./private_dir.ts";
export type { PrivateDirOptions } from "./private_dir.ts";
export { writeFileAtomic } from "./atomic_write.ts";
export type { AtomicWriteOptions } from "./atomic_write.ts";
export { FileRefused, MIB, readRegularFile } from "./read_regular.ts";
export type { ReadRegularOptions } from "./read_regular.ts";
export {
  createWhy,
  ensureWritableDir,
  isEnvironmentError,
} from "./writable_dir.ts";
export type { WritableDirOptions } from "./writable_dir.ts";
