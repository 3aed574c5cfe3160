// Writing a record so that a crash, a kill or a full disk at any moment leaves either the old file or the
// new one, never a torn one: a temporary file in the same directory (same file system, so rename is
// atomic), fsync'ed, renamed over the target, and the directory fsync'ed so the rename itself is durable.

import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The temporary name used while writing `path` (hidden, unique per call; same directory). */
export function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export function writeFileAtomic(path: string, text: string): void {
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o7777; // keep the record's permissions
  } catch {
    // new file
  }
  const temp = tempNameFor(path);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      const data = Buffer.from(text, 'utf8');
      for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
  syncDirectory(dirname(path));
}

/** Makes a rename in `dir` durable; some file systems cannot fsync a directory, which is then left as is. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on exotic file systems: the data itself is already synced
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
