// The questions a run asks, as VS Code widgets: variables (password box for secrets), confirmations and
// input a running cell waits for (promptUi.ts). A confirmation names the target in words and lists the exact
// lines that triggered it; Cancel is the default (Enter or Escape runs nothing); a production host must be
// typed by name.
import * as vscode from 'vscode';
import type { RunnerUi } from '../core/run/cellRunner.js';
import type { ConfirmationPrompt } from '../core/run/confirmPolicy.js';
import type { DeclaredVariable } from '../core/run/variables.js';
import { askForCellInput } from './promptUi.js';

type Item = vscode.QuickPickItem & { run?: boolean };

export function vscodeRunnerUi(notebookName: string, notebook?: vscode.NotebookDocument): RunnerUi {
  return {
    trusted: () => vscode.workspace.isTrusted,
    async askVariable(v: DeclaredVariable) {
      return vscode.window.showInputBox({
        title: `${notebookName}: ${v.name}`,
        prompt: `${v.prompt}${v.secret ? ' — secret: used in this session only, never written to the record' : ''}`,
        value: v.default,
        password: v.secret,
        ignoreFocusOut: true,
      });
    },
    async confirm(_question: string, _reasons: string[], prompt: ConfirmationPrompt) {
      if (!(await confirmPick(prompt))) return false;
      if (!prompt.typeToConfirm) return true;
      const name = prompt.typeToConfirm;
      const typed = await vscode.window.showInputBox({
        title: `${prompt.question} — ${name} is a PRODUCTION host`,
        prompt: `Type the host name "${name}" to run "${prompt.cellName}" there. Escape cancels.`,
        placeHolder: name,
        ignoreFocusOut: true,
        validateInput: (v) => (v === '' || name.startsWith(v) ? undefined : `This is not "${name}".`),
      });
      return typed === name;
    },
    answerPrompt: (prompt, context, signal) => askForCellInput(notebookName, prompt, context, signal, notebook),
  };
}

/** The confirmation as a pick whose first (default) item is Cancel, followed by Run and the triggering lines. */
async function confirmPick(p: ConfirmationPrompt): Promise<boolean> {
  const items: Item[] = [
    { label: '$(circle-slash) Cancel', description: 'do not run this step (Enter, Escape)' },
    { label: `$(play) Run on ${noIcons(p.where)}`, description: p.address === p.where ? '' : p.address, run: true,
      detail: p.production ? `Production host: you will type its name next.` : undefined },
  ];
  if (p.lines.length) {
    items.push({ label: 'Lines that asked for this confirmation', kind: vscode.QuickPickItemKind.Separator });
    for (const l of p.lines) items.push({ label: `$(warning) ${noIcons(l.text)}`, description: `line ${l.line}: ${noIcons(l.what)}` });
  }
  for (const r of p.reasons.filter((x) => !x.startsWith('line '))) items.push({ label: `$(info) ${noIcons(r)}` });
  const pick = await vscode.window.showQuickPick(items, {
    title: `${p.question}${p.production ? ' (PRODUCTION)' : ''}`,
    placeHolder: `Target: ${p.where}${p.address === p.where ? '' : ` (${p.address})`}. Cancel is the default.`,
    ignoreFocusOut: true,
  });
  return pick?.run === true;
}

/** Command text shown as is: `$(date)` would otherwise be read as an icon and vanish. */
function noIcons(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
