// Helpers for tests that run cells through the Runbook controller: execute cells with the workbench's own
// commands (as the Run buttons do), wait for them to end, read their outputs, and ask the driver for a
// screenshot.
import * as vscode from 'vscode';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig, UiReply, UiRequest } from '../../protocol.js';
import { assert, trace, waitFor } from './check.js';
import type { OutputMeta } from '../../../../src/core/format/model.js';
import { logRowsOf } from '../../../../src/notebook/metadata.js';

export type Test = { name: string; run: () => Promise<void> };

export const STDOUT = 'application/vnd.code.notebook.stdout';
export const STDERR = 'application/vnd.code.notebook.stderr';

/** What the extension stamps on each output (`runbook.meta`), as written into the record. */
export type { OutputMeta };

export interface ShownOutput {
  mimes: string[];
  text: string;
  meta: OutputMeta | undefined;
}

const decoder = new TextDecoder();

export function outputsOf(cell: vscode.NotebookCell): ShownOutput[] {
  return cell.outputs.map((o) => ({
    mimes: o.items.map((i) => i.mime),
    text: o.items.map((i) => decoder.decode(i.data)).join(''),
    meta: (o.metadata?.runbook as { meta?: OutputMeta } | undefined)?.meta,
  }));
}

/** All the text a cell printed (every stream). */
export function printed(cell: vscode.NotebookCell): string {
  return outputsOf(cell).map((o) => o.text).join('');
}

/** The code cell with `{name=…}`. */
export function cellNamed(doc: vscode.NotebookDocument, name: string): vscode.NotebookCell {
  const cell = doc.getCells().find((c) =>
    c.kind === vscode.NotebookCellKind.Code
    && (c.metadata.runbook as { attributes?: Record<string, unknown> } | undefined)?.attributes?.name === name);
  assert(cell, `no cell named ${name} in ${doc.uri.fsPath}`);
  return cell;
}

/** The execution-log rows the extension keeps in the notebook's metadata (written into the file on save). */
export interface LogRowLike {
  n: number;
  cell: string;
  event: string;
  exit: number | null;
  target: string;
  detail?: string;
}

export function logRows(doc: vscode.NotebookDocument): LogRowLike[] {
  return logRowsOf(doc);
}

const endOf = (c: vscode.NotebookCell) => c.executionSummary?.timing?.endTime;

/**
 * Runs cells with `notebook.cell.execute` (what a cell's Run button does; the notebook must be shown in an
 * editor) and waits until each has ended: a new end time in its execution summary.
 */
export async function runCells(doc: vscode.NotebookDocument, cells: vscode.NotebookCell[], ms = 60_000): Promise<void> {
  const before = cells.map(endOf);
  const names = cells.map((c) => `#${c.index}`).join(', ');
  trace(`notebook.cell.execute ${names} in ${path.basename(doc.uri.fsPath)}`);
  const command = vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: cells.map((c) => ({ start: c.index, end: c.index + 1 })),
    document: doc.uri,
  });
  let commandError: unknown;
  void Promise.resolve(command).then(undefined, (e: unknown) => { commandError = e; });
  await waitFor(() => commandError !== undefined || cells.every((c, i) => {
    const end = endOf(c);
    return end !== undefined && end !== before[i];
  }), ms, `cells ${names} to finish`);
  if (commandError !== undefined) throw new Error(`notebook.cell.execute failed: ${String(commandError)}`);
  trace(`ran ${names}`);
}

/** Shows `doc` in an editor (cells run only in a notebook editor) and lets its webview load. */
export async function showNotebook(doc: vscode.NotebookDocument): Promise<vscode.NotebookEditor> {
  const editor = await vscode.window.showNotebookDocument(doc);
  await waitFor(() => vscode.window.activeNotebookEditor?.notebook === doc, 45_000, 'the notebook editor to become active');
  await new Promise((r) => setTimeout(r, 1500));
  return editor;
}

/** Asks the driver to take a screenshot (test-results/<file>) once the texts are visible in the browser. */
export async function screenshot(config: E2eConfig, file: string, expectText: string[] = [], rejectText: string[] = []): Promise<UiReply> {
  const id = file.replace(/[^\w.-]/g, '_') + '-' + Date.now();
  const req: UiRequest = { id, kind: 'screenshot', file, expectText, rejectText };
  const reqFile = path.join(config.uiRequests, `${id}.request.json`);
  await fs.writeFile(reqFile + '.tmp', JSON.stringify(req));
  await fs.rename(reqFile + '.tmp', reqFile);
  const replyFile = path.join(config.uiRequests, `${id}.reply.json`);
  trace(`screenshot requested: ${file}`);
  await waitFor(() => existsSync(replyFile), 60_000, `the driver to take screenshot ${file}`);
  return JSON.parse(readFileSync(replyFile, 'utf8')) as UiReply;
}

/**
 * The `| … |` rows of the saved execution-log section as the columns # | time | operator | target | cell |
 * event | exit | ms | `digest` | `chain` | detail. Rows of format 2 carry these as JSON in a hidden comment
 * (`<!-- rb {...} -->`); older rows are split on unescaped pipes.
 */
export function savedLogRows(text: string): string[][] {
  const open = text.lastIndexOf('<!-- runbook:log -->');
  const close = text.indexOf('<!-- /runbook:log -->', open);
  assert(open >= 0 && close > open, 'the saved file has no <!-- runbook:log --> … <!-- /runbook:log --> section');
  return text.slice(open, close).split('\n')
    .filter((l) => /^\|\s*\d+\s*\|/.test(l))
    .map((l) => {
      const data = /<!-- rb (\{.*\}) --> \|$/.exec(l);
      if (!data) return l.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.replace(/\\\|/g, '|').trim());
      const r = JSON.parse(data[1]!) as Record<string, string | number | null>;
      const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
      return [str(r.n), str(r.time), str(r.operator), str(r.target), str(r.cell), str(r.event), str(r.exit), str(r.ms),
        `\`${str(r.digest)}\``, `\`${str(r.chain)}\``, str(r.detail)];
    });
}

/** The metadata JSON of every `<!-- runbook:output {...} -->` block in a saved file. */
export function savedOutputBlocks(text: string): OutputMeta[] {
  return [...text.matchAll(/^<!-- runbook:output (\{.*\}) -->$/gm)].map((m) => JSON.parse(m[1]!) as OutputMeta);
}
