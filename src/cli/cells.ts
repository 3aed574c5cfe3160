// `runbook cells FILE`: the parsed cells as JSON lines.
import { readFileSync } from 'node:fs';
import { parseRunbook } from '../core/format/index.js';
import { decodeUtf8, UsageError } from './roundtrip.js';

export function cellsCommand(files: string[], out: (s: string) => void): number {
  if (files.length !== 1) throw new UsageError('cells needs exactly one FILE');
  const doc = parseRunbook(decodeUtf8(readFileSync(files[0]!)));
  doc.cells.forEach((cell, index) => {
    const lines = cell.range ? { startLine: cell.range.start + 1, endLine: cell.range.end } : {};
    out(JSON.stringify(cell.kind === 'code'
      ? { index, kind: 'code', language: cell.language, fence: cell.fence.lang, attributes: cell.attributes,
        outputs: cell.outputs.length, ...lines }
      : { index, kind: 'markdown', language: 'markdown', attributes: {}, outputs: 0, ...lines }));
  });
  return 0;
}
