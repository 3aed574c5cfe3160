// `languages.match` for cell documents from the cell index (src/providers/lspMatch.ts, issue 17): the same
// score as VS Code's own for every selector the language client passes, without walking every cell of every
// notebook for each call. The reference below is VS Code's `score` (src/vs/editor/common/languageSelector.ts)
// and its ext host `match`, which finds a cell's notebook by walking all cells.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { check } from './propertySeed.js';
import { indexedMatch, useIndexedMatch } from '../../src/providers/lspMatch.js';

interface Filter { language?: string; scheme?: string; notebookType?: string; pattern?: string }
type Selector = string | Filter | (string | Filter)[];
interface Doc { uri: { scheme: string; path: string; toString(): string }; languageId: string }
interface Notebook { notebookType: string; uri: { scheme: string; path: string }; cells: Doc[] }

/** VS Code's score (languageSelector.ts), patterns as a suffix test (the only kind used here). */
function score(selector: Selector, uri: Doc['uri'], language: string, notebook?: Notebook): number {
  if (Array.isArray(selector)) {
    let ret = 0;
    for (const f of selector) {
      const v = score(f, uri, language, notebook);
      if (v === 10) return v;
      ret = Math.max(ret, v);
    }
    return ret;
  }
  if (typeof selector === 'string') return selector === '*' ? 5 : selector === language ? 10 : 0;
  const { language: lang, scheme, notebookType, pattern } = selector;
  const candidate = notebookType && notebook ? notebook.uri : uri;
  let ret = 0;
  if (scheme) {
    if (scheme === candidate.scheme) ret = 10;
    else if (scheme === '*') ret = 5;
    else return 0;
  }
  if (lang) {
    if (lang === language) ret = 10;
    else if (lang === '*') ret = Math.max(ret, 5);
    else return 0;
  }
  if (notebookType) {
    if (notebookType === notebook?.notebookType) ret = 10;
    else if (notebookType === '*' && notebook !== undefined) ret = Math.max(ret, 5);
    else return 0;
  }
  if (pattern) {
    if (candidate.path.endsWith(pattern.replace('**/*', ''))) ret = 10;
    else return 0;
  }
  return ret;
}

const targetsNotebooks = (s: Selector): boolean => (typeof s === 'string' ? false : Array.isArray(s) ? s.some(targetsNotebooks) : !!s.notebookType);

/** VS Code's ext host `match`: the cell's notebook found by walking every cell of every notebook. */
function vscodeMatch(notebooks: Notebook[], walked: { cells: number }) {
  return (selector: Selector, doc: Doc): number => {
    let nb: Notebook | undefined;
    if (targetsNotebooks(selector)) {
      nb = notebooks.find((n) => n.cells.find((c) => {
        walked.cells++;
        return c === doc;
      }));
    }
    return score(selector, doc.uri, doc.languageId, nb);
  };
}

function world(cellsPerNotebook: number) {
  const uri = (scheme: string, path: string, fragment = '') => ({ scheme, path, toString: () => `${scheme}:${path}${fragment}` });
  const notebooks: Notebook[] = [
    { notebookType: 'runbook', uri: uri('file', '/w/a.runbook.md'), cells: [] },
    { notebookType: 'jupyter-notebook', uri: uri('file', '/w/b.ipynb'), cells: [] },
  ];
  const languages = ['markdown', 'shellscript', 'sql', 'http'];
  for (const nb of notebooks) {
    for (let i = 0; i < cellsPerNotebook; i++) nb.cells.push({ uri: uri('vscode-notebook-cell', nb.uri.path, `#c${i}`), languageId: languages[i % languages.length]! });
  }
  const others: Doc[] = [
    { uri: uri('file', '/w/c.runbook.md'), languageId: 'markdown' },
    { uri: uri('vscode-notebook-cell', '/w/closed.runbook.md', '#c0'), languageId: 'shellscript' },
  ];
  const byUri = new Map(notebooks.flatMap((nb) => nb.cells.map((c) => [c.uri.toString(), nb.notebookType] as const)));
  return { notebooks, docs: [...notebooks.flatMap((n) => n.cells), ...others], typeOf: (u: string) => byUri.get(u) };
}

/** What the language client passes: its document selector and the notebook sync's cell selector. */
const CLIENT_SELECTORS: Selector[] = [
  [{ scheme: 'file', pattern: '**/*.runbook.md' }, { notebookType: 'runbook', language: '*' }],
  [{ notebookType: 'runbook' }],
  [{ notebookType: 'runbook', language: 'shellscript' }, { notebookType: 'runbook', language: 'sql' }],
];

describe('languages.match for cell documents, from the cell index', () => {
  it('scores every document as VS Code does for the client\'s selectors, without walking the cells', () => {
    const w = world(50);
    const walked = { cells: 0 };
    const original = vscodeMatch(w.notebooks, walked);
    const fast = indexedMatch(original as never, w.typeOf);
    for (const selector of CLIENT_SELECTORS) {
      for (const doc of w.docs) {
        const expected = vscodeMatch(w.notebooks, { cells: 0 })(selector, doc);
        assert.equal(fast(selector as never, doc as never), expected, `${JSON.stringify(selector)} ${doc.uri.toString()}`);
      }
    }
    assert.equal(walked.cells, 0, 'no call walked the notebooks\' cells');
  });

  it('scores any selector as VS Code does (property)', () => {
    const w = world(6);
    const filter = fc.record({
      language: fc.constantFrom(undefined, '*', 'markdown', 'shellscript', 'python'),
      scheme: fc.constantFrom(undefined, undefined, 'file', 'vscode-notebook-cell', '*'),
      notebookType: fc.constantFrom(undefined, '', '*', 'runbook', 'jupyter-notebook'),
      pattern: fc.constantFrom(undefined, undefined, undefined, '**/*.runbook.md'),
    }, { requiredKeys: [] });
    const selector = fc.oneof(fc.constantFrom('*', 'markdown', 'sql'), filter, fc.array(fc.oneof(fc.constantFrom('*', 'shellscript'), filter), { maxLength: 4 }));
    check(fc.property(selector, fc.constantFrom(...w.docs), (s, doc) => {
      const expected = vscodeMatch(w.notebooks, { cells: 0 })(s as Selector, doc);
      assert.equal(indexedMatch(vscodeMatch(w.notebooks, { cells: 0 }) as never, w.typeOf)(s as never, doc as never), expected);
    }), 500);
  });

  it('costs one index lookup a call where VS Code walks the cells: the client\'s start on a 4,000-cell notebook', () => {
    const w = world(2000);
    const walked = { cells: 0 };
    const original = vscodeMatch(w.notebooks, walked);
    const fast = indexedMatch(original as never, w.typeOf);
    for (const doc of w.docs) fast(CLIENT_SELECTORS[0] as never, doc as never);
    assert.equal(walked.cells, 0);
    for (const doc of w.docs) original(CLIENT_SELECTORS[0]!, doc as never);
    assert.ok(walked.cells > 4_000_000, `VS Code's own walks ${walked.cells} cells for the same calls`);
  });

  it('takes the place of match in the API object it is given, gives it back, and leaves a frozen one alone', () => {
    const original = (_s: unknown, _d: unknown) => 7;
    const languages = { match: original };
    const restore = useIndexedMatch({ languages } as never, () => 'runbook');
    assert.notEqual(languages.match, original);
    const file = { uri: { scheme: 'file', path: '/a' }, languageId: 'x' };
    assert.equal(languages.match([{ language: 'x' }] as never, file as never), 7, 'no notebook filter: VS Code answers');
    assert.equal(languages.match([{ notebookType: 'runbook' }] as never, file as never), 0, 'a document that is not a cell is in no notebook');
    restore!();
    assert.equal(languages.match, original);
    const frozen = Object.freeze({ match: original });
    assert.equal(useIndexedMatch({ languages: frozen } as never, () => 'runbook'), undefined);
    assert.equal(frozen.match, original);
  });
});
