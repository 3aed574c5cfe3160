// Cells made by hand as the notebook makes them, and the text a document is written as after such a change:
// shared by the format tests (formatMutants, formatNearMiss, blockScannerMutants).
import { newFence, parseRunbook, serializeRunbook, type Cell, type CodeCell, type FenceInfo } from '../../src/core/format/index.js';

/** A code cell added in the notebook (no gap, no original bytes); shell unless said. */
export function newCode(source: string, fence: FenceInfo = newFence('shellscript', source)): CodeCell {
  return { kind: 'code', language: 'shellscript', source, fence, attributes: {}, outputs: [] };
}

/** A prose cell added in the notebook. */
export function newMarkdown(source: string): Cell {
  return { kind: 'markdown', source };
}

/** `text` written again with `cells` inserted at `at` (at the end when undefined). */
export function withCells(text: string, at: number | undefined, ...cells: Cell[]): string {
  const doc = parseRunbook(text);
  doc.cells.splice(at ?? doc.cells.length, 0, ...cells);
  return serializeRunbook(doc);
}

/** `text` written again after `change` to its first code cell. */
export function withFirstCodeEdited(text: string, change: (c: CodeCell) => void): string {
  const doc = parseRunbook(text);
  change(doc.cells.find((c): c is CodeCell => c.kind === 'code')!);
  return serializeRunbook(doc);
}
