// Runbook: Seal Record — signs the saved record with an SSH key from ssh-agent or a key file (passphrase
// asked in a password box) and writes the seal block at its end (DESIGN §1 "Seal").
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultPrincipal } from '../core/util/defaultPrincipal.js';
import * as vscode from 'vscode';
import { parseRunbook, serializeRunbook } from '../core/format/index.js';
import { agentSigners, keyFileSigner, PassphraseNeeded, sealRecord, type Signer } from '../core/seal/index.js';
import { fingerprint } from '../core/seal/sshsig.js';
import { activeRunbook } from '../incident/activeRunbook.js';
import { saves } from '../kernel/recordKeeper.js';
import { sameRunbookMetadata } from '../notebook/metadata.js';
import { documentOf } from '../notebook/notebookDocument.js';
import { toNotebookData } from '../notebook/notebookData.js';

/** Arguments for scripted use (tests, tasks): `{ uri, key, principal, passphrase }`. */
interface SealArgs {
  uri?: vscode.Uri | string;
  key?: string;
  principal?: string;
  passphrase?: string;
}

async function sealCommand(arg?: unknown): Promise<void> {
  const args = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {}) as SealArgs;
  const nb = activeRunbook(arg);
  if (!nb) return;
  try {
    const signer = await chooseSigner(args);
    if (!signer) return;
    const principal = args.principal ?? await vscode.window.showInputBox({
      title: 'Seal record: principal', prompt: 'Who signs (as written in allowed_signers, usually an e-mail address)',
      value: await defaultPrincipal(), validateInput: (v) => (!v.trim() || /[\r\n]/.test(v) ? 'one non-empty line' : undefined),
    });
    if (!principal) return;
    // Saves go through the record's save scheduler (one save at a time with the runs' background saves, the
    // disk guard, the journal compacted after): the seal signs what is on disk and must land there.
    if (nb.isDirty && !(await saves.request(nb, { hurry: true }))) throw new Error('the record could not be saved first, so nothing was sealed');
    const sealed = await sealRecord(serializeRunbook(documentOf(nb)), signer, principal.trim());
    await applyExactly(nb, sealed);
    if (!(await saves.request(nb, { hurry: true }))) throw new Error('the sealed record is in the notebook but was not saved; save it (Ctrl+S)');
    void vscode.window.showInformationMessage(`Record sealed by ${principal.trim()} (${fingerprint(signer.publicKey)}). Any later change breaks the seal.`);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not seal the record: ${(e as Error).message}`);
  }
}

async function chooseSigner(args: SealArgs): Promise<Signer | undefined> {
  if (!args.key) {
    const agent = await agentSigners().catch(() => []);
    if (agent.length === 1) return agent[0];
    if (agent.length > 1) {
      const pick = await vscode.window.showQuickPick(agent.map((s) => ({ label: s.source, description: fingerprint(s.publicKey), signer: s })),
        { title: 'Seal record: which key from ssh-agent?' });
      return pick?.signer;
    }
  }
  const file = args.key ?? ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(homedir(), '.ssh', n)).find((f) => existsSync(f));
  const key = file ?? (await vscode.window.showOpenDialog({ title: 'Seal record: SSH private key', canSelectMany: false }))?.[0]?.fsPath;
  if (!key) return undefined;
  try {
    return keyFileSigner(key, args.passphrase);
  } catch (e) {
    if (!(e instanceof PassphraseNeeded)) throw e;
    const passphrase = await vscode.window.showInputBox({ title: `Passphrase for ${key}`, password: true, ignoreFocusOut: true });
    return passphrase === undefined ? undefined : keyFileSigner(key, passphrase);
  }
}

/**
 * Puts `text` into the notebook so that saving writes exactly these bytes (the signature covers them): the
 * notebook metadata and every cell's metadata (gaps between blocks live there), cells replaced where needed.
 */
async function applyExactly(nb: vscode.NotebookDocument, text: string): Promise<void> {
  const next = toNotebookData(vscode, parseRunbook(text));
  const cells = nb.getCells();
  const edits: vscode.NotebookEdit[] = [vscode.NotebookEdit.updateNotebookMetadata(next.metadata ?? {})];
  const same = cells.length === next.cells.length && cells.every((c, i) => c.kind === next.cells[i]!.kind
    && c.document.getText() === next.cells[i]!.value && c.document.languageId === next.cells[i]!.languageId);
  if (same) {
    cells.forEach((c, i) => {
      const meta = next.cells[i]!.metadata ?? {};
      if (!sameRunbookMetadata(c, { metadata: meta })) edits.push(vscode.NotebookEdit.updateCellMetadata(i, { ...c.metadata, ...meta }));
    });
  } else edits.push(vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(0, cells.length), next.cells));
  const edit = new vscode.WorkspaceEdit();
  edit.set(nb.uri, edits);
  await vscode.workspace.applyEdit(edit);
  if (serializeRunbook(documentOf(nb)) !== text) throw new Error('the notebook could not take the sealed text exactly; nothing was saved');
}

export function registerSealCommand(): vscode.Disposable {
  return vscode.commands.registerCommand('runbook.sealRecord', sealCommand);
}
