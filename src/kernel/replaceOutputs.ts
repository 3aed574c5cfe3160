// Replacing a cell's outputs so that the run's own metadata always lands.
// VS Code's replaceOutput with two or more outputs diffs old against new by their items' mime and bytes only
// (NotebookTextModel's output diff ignores metadata): an output whose text equals the live-streamed one keeps
// the live output, without the run's metadata, and the record then disagrees with its log row's digest.
// Clearing first makes every output new. Both edits are queued at once, in order, so they precede end().
import type * as vscode from 'vscode';

export function replaceOutputs(execution: vscode.NotebookCellExecution, outputs: vscode.NotebookCellOutput[]): Promise<unknown> {
  if (outputs.length <= 1) return Promise.resolve(execution.replaceOutput(outputs));
  const cleared = execution.clearOutput();
  const replaced = execution.replaceOutput(outputs);
  return Promise.all([cleared, replaced]);
}
