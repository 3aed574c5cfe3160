// VS Code's `languages.match` finds the notebook of a cell document by walking every cell of every open
// notebook whenever the selector names a notebook type (extHost.api.impl: `notebookDocuments.find(nb =>
// nb.getCells().find(c => c.document === document))`): O(cells) a call. vscode-languageclient asks it for
// every cell document when it starts and when a notebook opens, so a 4,200-cell record cost the extension
// host about a second of CPU each time (issue 17), while the window was still busy with the record.
// `indexedMatch` answers such calls for cell documents with the notebook found in an index, scoring the
// notebook filters as VS Code's `score` does (languageSelector.ts) and leaving every other call to VS Code.
// It replaces `match` in this extension's own `vscode` API object only (each extension gets its own).
import type * as vscode from 'vscode';

type Match = (selector: vscode.DocumentSelector, document: vscode.TextDocument) => number;

const CELL_SCHEME = 'vscode-notebook-cell';

/** The score of one notebook filter (no scheme, no pattern) for a cell of a notebook of `notebookType`. */
function notebookFilterScore(filter: vscode.DocumentFilter, notebookType: string | undefined, languageId: string): number {
  let score = 0;
  if (filter.language) {
    if (filter.language === languageId) score = 10;
    else if (filter.language === '*') score = 5;
    else return 0;
  }
  if (filter.notebookType === notebookType) return 10;
  if (filter.notebookType === '*' && notebookType !== undefined) return Math.max(score, 5);
  return 0;
}

/**
 * `match` with the notebook of a cell document looked up in `notebookTypeOf` (undefined: not in an open
 * notebook). Selectors without notebook filters, and for cells those whose notebook filters also name a
 * scheme or a pattern (which apply to the notebook's URI), go to `original`.
 */
export function indexedMatch(original: Match, notebookTypeOf: (cellUri: string) => string | undefined): Match {
  return (selector, document) => {
    const filters = Array.isArray(selector) ? (selector as readonly (string | vscode.DocumentFilter)[]) : [selector as string | vscode.DocumentFilter];
    // As VS Code tells a notebook filter (targetsNotebooks): a non-empty notebookType.
    const notebookFilters = filters.filter((f): f is vscode.DocumentFilter => typeof f !== 'string' && !!f.notebookType);
    if (!notebookFilters.length) return original(selector, document);
    // Only cell documents are in a notebook: for any other, every notebook filter scores 0.
    const cell = document.uri.scheme === CELL_SCHEME;
    if (cell && notebookFilters.some((f) => f.scheme !== undefined || f.pattern !== undefined)) return original(selector, document);
    const notebookType = cell ? notebookTypeOf(document.uri.toString()) : undefined;
    let best = 0;
    for (const f of notebookFilters) best = Math.max(best, notebookFilterScore(f, notebookType, document.languageId));
    const rest = filters.filter((f) => typeof f === 'string' || !f.notebookType);
    if (best < 10 && rest.length) best = Math.max(best, original(rest as vscode.DocumentSelector, document));
    return best;
  };
}

/**
 * Puts `indexedMatch` in place of `api.languages.match` (this extension's API object); the returned function
 * puts VS Code's back. Does nothing (and says so) if the API object does not let it.
 */
export function useIndexedMatch(api: Pick<typeof vscode, 'languages'>, notebookTypeOf: (cellUri: string) => string | undefined): (() => void) | undefined {
  const languages = api.languages as { match: Match };
  const original = languages.match;
  try {
    languages.match = indexedMatch(original.bind(languages), notebookTypeOf);
  } catch {
    return undefined;
  }
  if (languages.match === original) return undefined;
  return () => {
    languages.match = original;
  };
}
