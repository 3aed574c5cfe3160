// The data classes of the VS Code API that the serializer's adapter constructs (plain data holders in VS Code
// too), for tests that run the adapter or the built entry point outside VS Code.
export class NotebookCellOutputItem {
  constructor(readonly data: Uint8Array, readonly mime: string) {}
  static text(value: string, mime = 'text/plain') { return new NotebookCellOutputItem(new TextEncoder().encode(value), mime); }
  static stdout(value: string) { return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stdout'); }
  static stderr(value: string) { return NotebookCellOutputItem.text(value, 'application/vnd.code.notebook.stderr'); }
}
export class NotebookCellOutput {
  constructor(public items: NotebookCellOutputItem[], public metadata?: Record<string, unknown>) {}
}
export class NotebookCellData {
  metadata?: Record<string, unknown>;
  outputs?: NotebookCellOutput[];
  executionSummary?: unknown;
  constructor(public kind: number, public value: string, public languageId: string) {}
}
export class NotebookData {
  metadata?: Record<string, unknown>;
  constructor(public cells: NotebookCellData[]) {}
}

/** What the adapter reads of `vscode` (toNotebookData's first parameter). */
export const notebookApi = { NotebookData, NotebookCellData, NotebookCellOutput, NotebookCellOutputItem, NotebookCellKind: { Markup: 1, Code: 2 } };
