// What the language client sends of a runbook notebook: the server reads only the front matter from the
// notebook's metadata, so the execution log (thousands of rows in a big record, changed by every run) is not
// copied and sent with each open and each run (issue 17).
import type * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { languageServerMetadata } from '../notebook/metadata.js';

type Meta = { [key: string]: unknown };

/** The notebook metadata the server needs: `{ runbook: { frontMatter } }`. */
export function serverMetadata(metadata: Meta): Meta {
  return languageServerMetadata({ metadata });
}

/** The notebook as the client converts it, with only the metadata the server needs. */
function withServerMetadata(nb: vscode.NotebookDocument): vscode.NotebookDocument {
  const view: vscode.NotebookDocument = Object.create(nb, { metadata: { value: serverMetadata(nb.metadata), enumerable: true } });
  return view;
}

export const notebookMiddleware: Middleware['notebooks'] = {
  didOpen: (nb, cells, next) => next(withServerMetadata(nb), cells),
  didChange: (event, next) => next(event.metadata === undefined ? event : { ...event, metadata: serverMetadata(event.metadata) }),
};
