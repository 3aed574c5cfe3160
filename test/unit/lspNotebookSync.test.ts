// Big notebooks and the language server (issue 17): diagnostics are sent only for cells whose diagnostics
// changed, not for every cell after every keystroke (thousands of messages kept VS Code's renderer busy).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createMessageConnection, DidChangeNotebookDocumentNotification, DidOpenNotebookDocumentNotification, ExitNotification,
  InitializedNotification, InitializeRequest, NotebookCellKind, PublishDiagnosticsNotification, ShutdownRequest,
  StreamMessageReader, StreamMessageWriter, type MessageConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { checkDelay, MAX_CHECK_DELAY_MS, MIN_CHECK_DELAY_MS } from '../../src/lsp/checkDelay.js';
import { serverMetadata } from '../../src/providers/lspNotebookMiddleware.js';
import { repoRoot } from './helpers.js';

const CELLS = 400;
const nbUri = 'file:///tmp/lsp-sync/big.runbook.md';
const cell = (n: number) => `vscode-notebook-cell:/tmp/lsp-sync/big.runbook.md#C${n}`;

describe('language server: notebook diagnostics are sent only when they change', () => {
  let conn: MessageConnection;
  let child: ReturnType<typeof spawn>;
  const sent: PublishDiagnosticsParams[] = [];
  // The server's timing lines (RUNBOOK_PERF_LOG) say whether a change was checked.
  const perfFile = join(mkdtempSync(join(tmpdir(), 'lsp-perf-')), 'perf.log');
  const checks = () => {
    try {
      return readFileSync(perfFile, 'utf8').split('\n').filter((l) => l.includes(' lsp.validateNotebook '));
    } catch {
      return [];
    }
  };
  /** Until the server has looked at the change (its wait grows with the check's time), then its messages' way here. */
  const settle = async () => {
    const seen = checks().length;
    for (let i = 0; i < 200 && checks().length === seen; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
  };

  before(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/lsp/server.ts'), '--stdio'], {
      cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, RUNBOOK_PERF_LOG: perfFile },
    });
    conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => void sent.push(p));
    conn.listen();
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null,
      initializationOptions: { sshConfigPath: join(tmpdir(), 'no-such-ssh-config') },
    });
    await conn.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    await conn.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await conn.sendNotification(ExitNotification.type).catch(() => undefined);
    child.kill();
    conn.dispose();
  });

  it(`opens a ${CELLS}-cell notebook with one problem: one message; a clean edit: none; the fix: one`, async () => {
    const cells = Array.from({ length: CELLS }, (_, i) => i % 2
      ? { kind: NotebookCellKind.Code, document: cell(i), languageId: 'shellscript', text: i === 7 ? 'echo ${NOT_SET_X}' : `echo step ${i}` }
      : { kind: NotebookCellKind.Markup, document: cell(i), languageId: 'markdown', text: `Step ${i}: prose.` });
    await conn.sendNotification(DidOpenNotebookDocumentNotification.type, {
      notebookDocument: { uri: nbUri, notebookType: 'runbook', version: 1, metadata: {}, cells: cells.map((c) => ({ kind: c.kind, document: c.document })) },
      cellTextDocuments: cells.map((c) => ({ uri: c.document, languageId: c.languageId, version: 1, text: c.text })),
    });
    await settle();
    assert.deepEqual(sent.map((p) => [p.uri, p.diagnostics.map((d) => d.code)]), [[cell(7), ['undefined-variable']]]);

    sent.length = 0;
    const edit = (version: number, n: number, text: string) => conn.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: nbUri, version },
      change: { cells: { textContent: [{ document: { uri: cell(n), version }, changes: [{ text }] }] } },
    });
    await edit(2, 3, 'echo step 3 edited');
    await settle();
    assert.deepEqual(sent, [], 'an edit that changes no finding sends nothing');

    await edit(3, 7, 'echo fixed');
    await settle();
    assert.deepEqual((sent as PublishDiagnosticsParams[]).map((p) => [p.uri, p.diagnostics.length]), [[cell(7), 0]]);
  });

  it('a run (execution summary), a log row or the same front matter again is not checked again; a changed attribute is', async () => {
    const before = checks().length;
    assert.ok(before >= 3, `the open and the two edits were checked: ${checks().join(' | ')}`);
    // A cell ran: VS Code syncs its execution summary (cell data), and the record's metadata (front matter only).
    await conn.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: nbUri, version: 4 },
      change: {
        metadata: { runbook: { frontMatter: undefined } },
        cells: { data: [{ kind: NotebookCellKind.Code, document: cell(9), executionSummary: { executionOrder: 1, success: true } }] },
      },
    });
    await settle();
    const afterRun = checks().slice(before);
    assert.equal(afterRun.length, 1, afterRun.join(' | '));
    assert.match(afterRun[0]!, /400 cells, only runs changed: not read$/);
    // Cell data that changed neither by a run nor by its attributes (nothing this server knows): read and compared.
    await conn.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: nbUri, version: 5 },
      change: { cells: { data: [{ kind: NotebookCellKind.Code, document: cell(9), executionSummary: { executionOrder: 1, success: true } }] } },
    });
    await settle();
    const afterSame = checks().slice(before + 1);
    assert.equal(afterSame.length, 1, afterSame.join(' | '));
    assert.match(afterSame[0]!, /400 cells, unchanged: not checked$/);
    sent.length = 0;
    // The same cell's attributes changed (cell metadata): that can change a finding, so it is checked.
    await conn.sendNotification(DidChangeNotebookDocumentNotification.type, {
      notebookDocument: { uri: nbUri, version: 6 },
      change: { cells: { data: [{ kind: NotebookCellKind.Code, document: cell(9), metadata: { runbook: { attributes: { timeout: 'soon' } } } }] } },
    });
    await settle();
    const afterAttribute = checks().slice(before + 2);
    assert.equal(afterAttribute.length, 1, afterAttribute.join(' | '));
    assert.match(afterAttribute[0]!, /400 cells, 1 diagnostics messages$/);
    assert.deepEqual(sent.map((p) => [p.uri, p.diagnostics.map((d) => d.code)]), [[cell(9), ['bad-timeout']]]);
  });
});

describe('language server: how long it waits before checking again', () => {
  it('50 ms for a small document or the first check; twice the last check\'s time for a big one; at most a second', () => {
    assert.equal(checkDelay(undefined), MIN_CHECK_DELAY_MS);
    assert.equal(MIN_CHECK_DELAY_MS, 50);
    assert.equal(checkDelay(3), 50);
    assert.equal(checkDelay(25), 50);
    assert.equal(checkDelay(26), 52);
    assert.equal(checkDelay(150), 300);
    assert.equal(checkDelay(499), 998);
    assert.equal(checkDelay(2300), MAX_CHECK_DELAY_MS);
    assert.equal(MAX_CHECK_DELAY_MS, 1000);
    assert.equal(checkDelay(Number.NaN), 50);
  });
});

describe('language client: notebook metadata sent to the server', () => {
  it('is the front matter only, not the execution log a big record carries', () => {
    const frontMatter = { raw: '---\ntitle: t\n---\n', errors: [] };
    const log = { raw: '', parsedCount: 0, rows: Array.from({ length: 2000 }, (_, n) => ({ n, cell: `step-${n}` })) };
    assert.deepEqual(serverMetadata({ runbook: { eol: '\n', frontMatter, log, lead: '', tail: '' } }), { runbook: { frontMatter } });
    assert.deepEqual(serverMetadata({ runbook: { log } }), {});
    assert.deepEqual(serverMetadata({}), {});
  });
});
