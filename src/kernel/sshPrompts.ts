// SSH questions as VS Code dialogs: an unknown host key shows its SHA256 fingerprint and asks (modal);
// a key passphrase is asked in a password box, kept in memory for the session only.
import * as vscode from 'vscode';
import type { SshAsk } from '../core/ssh/connection.js';

export const vscodeSshAsk: SshAsk = {
  async confirmHostKey(q) {
    const trust = 'Trust and Connect';
    const pick = await vscode.window.showWarningMessage(
      `The authenticity of ${q.host}:${q.port} can't be established.`,
      {
        modal: true,
        detail: `${q.keyType} key fingerprint is ${q.fingerprint}.\nCompare it with the server's real fingerprint before trusting it. `
          + `If you trust it, it is added to ${q.knownHostsFile}.`,
      },
      trust,
    );
    return pick === trust;
  },
  async passphrase(keyPath) {
    return vscode.window.showInputBox({
      title: `Passphrase for ${keyPath}`,
      prompt: 'Kept in memory for this session only, never written anywhere. Escape skips this key.',
      password: true,
      ignoreFocusOut: true,
    });
  },
};
