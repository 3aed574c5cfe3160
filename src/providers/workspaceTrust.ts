// Our own Restricted Mode gate, for every path that runs something without going through VS Code's notebook
// kernel (whose cells VS Code itself refuses to run in an untrusted workspace): Start Drill runs the
// scenario's setup.sh. The cell runner has its own check (core/run/cellRunner.ts) for the kernel path.
import * as vscode from 'vscode';

/** The refusal shown when a command would run workspace code in Restricted Mode. */
export function untrustedRefusal(what: string, why = 'it would run code from the workspace'): string {
  return `Runbook: ${what} was refused: this workspace is in Restricted Mode (not trusted), and ${why}. Nothing ran. Trust it with "Workspaces: Manage Workspace Trust", then try again.`;
}

/** True (and the refusal shown) when the workspace is not trusted: the caller must then run nothing. */
export function refuseWhenUntrusted(what: string, why?: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showErrorMessage(untrustedRefusal(what, why));
  return true;
}
