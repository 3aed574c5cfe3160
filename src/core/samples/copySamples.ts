// "Open Sample Runbooks": the sample runbooks and their drill scenarios, copied from the extension's
// install folder into a folder of the user's. An existing file is never overwritten (it may be the user's
// edited copy); executable bits are kept (drill stand-ins and hooks are scripts).
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What the drills run as programs: stand-ins (bin/), hooks, setup and teardown. */
const EXECUTABLE = /(^|\/)(bin|hooks)\/[^/]+$|(^|\/)(setup|teardown)\.sh$/;

export interface CopyResult {
  /** Paths relative to the destination. */
  copied: string[];
  /** Files that already existed in the destination and were left as they were. */
  kept: string[];
  /** The sample runbooks (relative paths), in order. */
  runbooks: string[];
}

/** Copies `samplesDir` (the *.runbook.md files and drills/) into `dest`. */
export function copySamples(samplesDir: string, dest: string): CopyResult {
  if (!existsSync(samplesDir)) throw new Error(`no samples at ${samplesDir}`);
  const result: CopyResult = { copied: [], kept: [], runbooks: [] };
  const top = readdirSync(samplesDir).sort();
  const entries = top.filter((n) => n.endsWith('.runbook.md') || n === 'drills');
  if (!entries.some((n) => n.endsWith('.runbook.md'))) throw new Error(`no sample runbooks in ${samplesDir}`);
  mkdirSync(dest, { recursive: true });
  const walk = (from: string, to: string): void => {
    const st = statSync(from);
    if (st.isDirectory()) {
      mkdirSync(to, { recursive: true });
      for (const n of readdirSync(from).sort()) walk(join(from, n), join(to, n));
      return;
    }
    const rel = relative(dest, to);
    if (existsSync(to)) {
      result.kept.push(rel);
      return;
    }
    copyFileSync(from, to);
    // A script stays runnable even if the installer that unpacked the extension dropped its mode bits.
    chmodSync(to, (st.mode & 0o777) | (EXECUTABLE.test(rel) ? 0o755 : 0));
    result.copied.push(rel);
  };
  for (const n of entries) {
    walk(join(samplesDir, n), join(dest, n));
    if (n.endsWith('.runbook.md')) result.runbooks.push(n);
  }
  return result;
}
