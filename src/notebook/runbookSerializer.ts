// The VS Code NotebookSerializer for `runbook` notebooks: bytes ↔ NotebookData through the pure core.
import * as vscode from 'vscode';
import { parseRunbook, serializeRunbook } from '../core/format/index.js';
import { perfLog, timed } from '../core/util/perfLog.js';
import { fromNotebookData, toNotebookData } from './notebookData.js';
import { Prefetch } from './prefetch.js';

export const NOTEBOOK_TYPE = 'runbook';

// fatal: a file that is not UTF-8 must not be opened and saved back with replacement characters.
// ignoreBOM: keep the byte order mark in the text so it is written back.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export class RunbookSerializer implements vscode.NotebookSerializer {
  /** Records read from disk while the window sends their bytes (prefetch.ts; extension.ts starts them). */
  readonly prefetch = new Prefetch<vscode.NotebookData>({ build: notebookDataOf });

  /** `deserialized` is told each time a notebook was read, and its size (extension.ts loads the rest of the
   * extension after it). */
  constructor(private readonly deserialized?: (bytes: number) => void) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const ahead = this.prefetch.take(content);
    if (ahead) perfLog('deserialize.readAhead', 0, `${content.length} bytes`);
    const data = ahead ?? notebookDataOf(content);
    this.deserialized?.(content.length);
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const doc = timed('serialize.fromNotebookData', () => fromNotebookData(data), () => `${data.cells.length} cells`);
    return timed('serialize.write', () => encoder.encode(serializeRunbook(doc)));
  }

  dispose(): void {
    this.prefetch.dispose();
  }
}

/** A record's bytes as notebook data (throws, with what to do, on bytes that are not UTF-8). */
function notebookDataOf(content: Uint8Array): vscode.NotebookData {
  let text: string;
  try {
    text = decoder.decode(content);
  } catch {
    throw new Error('This file is not valid UTF-8, so it cannot be opened as a runbook without changing its bytes. '
      + 'Open it with the text editor instead.');
  }
  const doc = timed('deserialize.parse', () => parseRunbook(text), () => `${content.length} bytes`);
  return timed('deserialize.toNotebookData', () => toNotebookData(vscode, doc), () => `${doc.cells.length} cells`);
}

export const serializerOptions: vscode.NotebookDocumentContentOptions = {
  // Outputs and our cell metadata are part of the document: they are written into the markdown.
  transientOutputs: false,
  transientCellMetadata: {},
  transientDocumentMetadata: {},
};
