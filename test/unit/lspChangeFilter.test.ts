// Which notebook changes the language server skips without reading the notebook (src/lsp/changeFilter.ts):
// only those that change nothing its checks read (a run's execution summary, a log row in the metadata).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NotebookCell } from 'vscode-languageserver/node';
import { onlyExecutionChanged } from '../../src/lsp/changeFilter.js';

const cell = (over: Partial<NotebookCell> = {}): NotebookCell => ({ kind: 2, document: 'cell:1', ...over });
const ran = { executionOrder: 3, success: true, timing: { startTime: 1, endTime: 2 } };
const fm = (raw: string | undefined) => ({ runbook: raw === undefined ? {} : { frontMatter: { raw, errors: [] } } });
const change = (data: { old: NotebookCell; new: NotebookCell }[], more: Partial<{ added: NotebookCell[]; removed: NotebookCell[]; textContent: NotebookCell[] }> = {}) => ({
  cells: { added: more.added ?? [], removed: more.removed ?? [], changed: { data, textContent: more.textContent ?? [] } },
});

describe('language server: changes no check can see', () => {
  it('a run that started or ended (execution summary only) is skipped', () => {
    assert.equal(onlyExecutionChanged(change([{ old: cell(), new: cell({ executionSummary: ran }) }])), true);
    assert.equal(onlyExecutionChanged(change([{ old: cell({ executionSummary: ran }), new: cell({ executionSummary: { ...ran, success: false } }) }])), true);
  });

  it('a metadata change that keeps the front matter (a log row) is skipped; one that changes it is not', () => {
    assert.equal(onlyExecutionChanged({ metadata: { old: fm('a: 1'), new: fm('a: 1') } }), true);
    assert.equal(onlyExecutionChanged({ metadata: { old: fm('a: 1'), new: fm('a: 2') } }), false);
    assert.equal(onlyExecutionChanged({ metadata: { old: fm(undefined), new: fm('a: 1') } }), false);
    assert.equal(onlyExecutionChanged({ metadata: { old: fm('a: 1'), new: fm('a: 1') }, ...change([{ old: cell(), new: cell({ executionSummary: ran }) }]) }), true);
  });

  it('text, added or removed cells, changed attributes, or a data change it cannot explain are checked', () => {
    const run = [{ old: cell(), new: cell({ executionSummary: ran }) }];
    assert.equal(onlyExecutionChanged(change(run, { textContent: [cell()] })), false);
    assert.equal(onlyExecutionChanged(change(run, { added: [cell({ document: 'cell:2' })] })), false);
    assert.equal(onlyExecutionChanged(change(run, { removed: [cell({ document: 'cell:2' })] })), false);
    const attrs = (timeout: string) => ({ runbook: { attributes: { timeout } } });
    assert.equal(onlyExecutionChanged(change([{ old: cell({ metadata: attrs('5s') }), new: cell({ metadata: attrs('6s'), executionSummary: ran }) }])), false);
    assert.equal(onlyExecutionChanged(change([{ old: cell({ executionSummary: ran }), new: cell({ executionSummary: ran }) }])), false);
    assert.equal(onlyExecutionChanged(change([{ old: cell(), new: cell({ kind: 1, executionSummary: ran }) }])), false);
    assert.equal(onlyExecutionChanged(change([...run, { old: cell({ document: 'cell:2' }), new: cell({ document: 'cell:2', metadata: attrs('1s') }) }])), false);
  });
});
