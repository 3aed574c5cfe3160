// Questions the headless runner asks on a terminal: variables (hidden input for secrets) and confirmations.
// Without a terminal nothing is guessed: a missing variable or an unconfirmed destructive cell is refused.
import { createInterface } from 'node:readline';
import type { RunnerUi } from '../core/run/cellRunner.js';
import type { DeclaredVariable } from '../core/run/variables.js';
import type { SshAsk } from '../core/ssh/connection.js';

export function terminalUi(o: { yes: boolean; interactive: boolean; log: (s: string) => void }): RunnerUi {
  return {
    trusted: () => true,
    async askVariable(v: DeclaredVariable) {
      if (!o.interactive) {
        o.log(`runbook: variable ${v.name} is needed: pass --var ${v.name}=... or set it in the environment`);
        return undefined;
      }
      return ask(`${v.prompt}${v.secret ? ' (hidden)' : ''}: `, v.secret);
    },
    async confirm(question: string) {
      if (o.yes) {
        o.log(`${question} — yes (--yes)`);
        return true;
      }
      if (!o.interactive) {
        o.log(`${question} — no (not a terminal; pass --yes to confirm)`);
        return false;
      }
      const answer = await ask(`${question} [y/N] `, false);
      return /^y(es)?$/i.test(answer?.trim() ?? '');
    },
  };
}

/** SSH questions on a terminal; without one an unknown host key is refused and encrypted keys are skipped. */
export function terminalSshAsk(o: { interactive: boolean; log: (s: string) => void }): SshAsk {
  return {
    async confirmHostKey(q) {
      const what = `The authenticity of ${q.host}:${q.port} can't be established. ${q.keyType} key fingerprint is ${q.fingerprint}.`;
      if (!o.interactive) {
        o.log(`${what} Refused: not a terminal (add the key to ${q.knownHostsFile} after checking it).`);
        return false;
      }
      const answer = await ask(`${what}\nTrust it and add it to ${q.knownHostsFile}? [y/N] `, false);
      return /^y(es)?$/i.test(answer?.trim() ?? '');
    },
    async passphrase(keyPath) {
      if (!o.interactive) return undefined;
      return ask(`Passphrase for ${keyPath} (hidden): `, true);
    },
  };
}

function ask(prompt: string, hidden: boolean): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (hidden) {
      // Echo nothing while the secret is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stderr.write(prompt);
      };
    }
    rl.question(prompt, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      resolve(undefined);
    });
  });
}
