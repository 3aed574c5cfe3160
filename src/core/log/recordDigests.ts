// Digests that tie a log row to what the record shows (DESIGN §1: verify proves the whole record): the
// cell's source and its outputs exactly as a reader of the saved file gets them back. Outputs are written
// and read again before hashing, so whatever the writer normalises (final newline, line endings) is
// hashed the way `runbook verify` will later see it.
import { createHash } from 'node:crypto';
import { LineIndex } from '../format/lineIndex.js';
import type { CellOutput } from '../format/model.js';
import { readOutputBlock, renderOutputBlock } from '../format/outputBlock.js';
import { canonicalJson } from '../util/canonicalJson.js';

function sha16(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** Digest of a cell's source ("\n" line endings, as the model keeps it). */
export function sourceDigest(source: string): string {
  return sha16(JSON.stringify(['source', source.replace(/\r\n/g, '\n')]));
}

/** What a reader of the record gets back for an output: metadata, language, text (and its image line). */
export function storedOutput(output: CellOutput): { meta: unknown; lang: string; text: string; image?: unknown } {
  if (output.raw === undefined) {
    // The block starts with its marker line (a caption follows the marker).
    const L = new LineIndex(renderOutputBlock({ ...output, raw: undefined }, '\n') + '\n');
    const back = readOutputBlock(L, 0, L.count);
    if (back) output = back.output;
  }
  // The image line is covered when there is one; outputs without one hash as they always did.
  return { meta: output.meta, lang: output.lang ?? 'text', text: output.text, ...(output.image ? { image: output.image } : {}) };
}

/** Digest of a cell's outputs in order (an empty list has a digest too: "the run left no output"). */
export function outputsDigest(outputs: readonly CellOutput[]): string {
  return sha16(canonicalJson(['outputs', outputs.map(storedOutput)]));
}
