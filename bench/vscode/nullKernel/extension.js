/* global exports, setTimeout */
// The bench's control kernel (bench/vscode/run.ts): what VS Code itself takes to show a cell done in its own
// ipynb editor, with a kernel that does no work. A cell's "output" is the word after its last `echo`; a cell
// that says `sleep 1` waits a second first. Start, output and end go to the window back to back, as the
// runbook kernel sends them.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS extension, loaded as is
const vscode = require('vscode');

exports.activate = (context) => {
  const controller = vscode.notebooks.createNotebookController('bench-null-kernel', 'jupyter-notebook', 'Bench null kernel');
  controller.supportedLanguages = ['shellscript', 'python', 'plaintext'];
  controller.executeHandler = async (cells) => {
    for (const cell of cells) {
      const execution = controller.createNotebookCellExecution(cell);
      execution.start(Date.now());
      const source = cell.document.getText();
      if (/\bsleep 1\b/.test(source)) await new Promise((r) => setTimeout(r, 1000));
      const word = [...source.matchAll(/echo (\S+)/g)].at(-1)?.[1] ?? '';
      void execution.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stdout(`${word}\n`)])]);
      execution.end(true, Date.now());
    }
  };
  // The only kernel for the bench's notebooks: selected for each as it opens.
  const prefer = (nb) => nb.notebookType === 'jupyter-notebook' && controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  vscode.workspace.notebookDocuments.forEach(prefer);
  context.subscriptions.push(controller, vscode.workspace.onDidOpenNotebookDocument(prefer));
};
