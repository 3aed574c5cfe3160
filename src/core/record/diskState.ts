// What a record file on disk looked like when the editor last read or wrote it, so that a later save can
// tell whether something else (a headless run, another editor, git) changed it meanwhile.

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';

export interface DiskState {
  mtimeMs: number;
  size: number;
  /** SHA-256 of the bytes: a touched file with the same content is not a change. */
  sha256: string;
}

/** The file's state now; undefined when it does not exist (or cannot be read). */
export async function readDiskState(path: string): Promise<DiskState | undefined> {
  try {
    const [st, bytes] = await Promise.all([fs.stat(path), fs.readFile(path)]);
    return { mtimeMs: st.mtimeMs, size: st.size, sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch {
    return undefined;
  }
}

/** Whether the file still holds what `known` recorded (same bytes; time alone does not count). */
export function unchanged(known: DiskState | undefined, now: DiskState | undefined): boolean {
  if (!known || !now) return known === now;
  return known.size === now.size && known.sha256 === now.sha256;
}
