// Where a headless run writes its record, checked before any cell runs: the directory exists and takes new
// files, the path is not a directory, and an existing file is a record of this runbook (same code cells),
// empty, or overwritten only when asked (--force).

import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cellNameOf } from '../contract/cellName.js';
import type { RunbookDocument } from '../format/model.js';

export class RecordTargetError extends Error {}

/** Throws RecordTargetError with a clear reason when `path` cannot take a record. */
export function checkRecordTarget(path: string): void {
  const full = resolve(path);
  const dir = dirname(full);
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new RecordTargetError(`cannot write the record to ${path}: a part of ${dir} is not a directory`);
    throw new RecordTargetError(`cannot write the record to ${path}: the directory ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) throw new RecordTargetError(`cannot write the record to ${path}: ${dir} is not a directory`);
  let st;
  try {
    st = statSync(full);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw new RecordTargetError(`cannot write the record to ${path}: it is a directory; give a file name`);
  if (st && !st.isFile()) throw new RecordTargetError(`cannot write the record to ${path}: it is not a regular file`);
  try {
    accessSync(dir, constants.W_OK);
    if (st) accessSync(full, constants.W_OK);
  } catch (e) {
    throw new RecordTargetError(`cannot write the record to ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The run's code cells as they identify a runbook: name, language and source, in order. */
function cellsOf(doc: RunbookDocument): string[] {
  const out: string[] = [];
  for (const c of doc.cells) if (c.kind === 'code') out.push(JSON.stringify([cellNameOf(c.attributes, out.length), c.language, c.source]));
  return out;
}

/** An existing file is a record of `runbook` when it has the same code cells (outputs and log aside). */
export function isRecordOf(existing: RunbookDocument, runbook: RunbookDocument): boolean {
  const a = cellsOf(existing);
  const b = cellsOf(runbook);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A file with nothing in it (e.g. from mktemp) holds no work to lose. */
export function isBlank(text: string): boolean {
  return text.trim() === '';
}
