// Commands that ask (issue 12) inside a real VS Code: a cell runs Debian's real sudo as the throw-away user
// whose sudo needs a password (test/harness/sudoUser.ts); sudo's prompt appears in code-server's input box
// (a password box naming the cell and the target), the driver types the password there as a person would
// (uiWatcher.ts), `sudo id -u` prints 0, and the password is nowhere in the notebook or the saved file.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig } from '../../protocol.js';
import { assert, trace } from './check.js';
import { cellNamed, logRows, printed, runCells, showNotebook, type Test } from './cells.js';

export function promptRunbook(user: string): string {
  const asUser = `setpriv --reuid=${user} --regid=${user} --init-groups --`;
  return [
    '# Prompt check',
    '',
    'Written by the e2e test: sudo asks for a password; the answer comes from the input box.',
    '',
    '```bash {name=sudo-asks}',
    `${asUser} sudo -k`,
    `${asUser} sudo id -u`,
    '```',
    '',
  ].join('\n');
}

export function promptTests(config: E2eConfig): Test[] {
  const sudo = config.sudo;
  if (!sudo) return [];
  const file = path.join(config.workspace, config.scratch, 'prompt-check.runbook.md');
  return [
    {
      name: "prompts: sudo's password prompt is answered in code-server's input box; `sudo id -u` prints 0; the password is not recorded",
      run: async () => {
        await fs.writeFile(file, promptRunbook(sudo.user));
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        const cell = cellNamed(doc, 'sudo-asks');
        await runCells(doc, [cell], 90_000);
        const out = printed(cell);
        trace(`sudo cell printed ${JSON.stringify(out)}`);
        assert(/^0$/m.test(out), `sudo id -u did not print 0 after the password was typed: ${JSON.stringify(out)}`);
        assert(out.includes(`[sudo] password for ${sudo.user}:`), `the prompt is not in the cell's output: ${JSON.stringify(out)}`);
        assert(/answered \(hidden input, the answer is not recorded\)/.test(out), `no notice that the prompt was answered: ${JSON.stringify(out)}`);
        assert(cell.executionSummary?.success === true, 'the sudo cell did not succeed');
        assert(!out.includes(sudo.password), 'the password is in the cell output');
        assert(!JSON.stringify(logRows(doc)).includes(sudo.password), 'the password is in the log rows');
        assert(await doc.save(), 'save failed');
        const text = await fs.readFile(file, 'utf8');
        assert(!text.includes(sudo.password), 'the password is in the saved record');
        assert(text.includes('sudo-asks'), 'the saved record lacks the cell');
      },
    },
  ];
}
