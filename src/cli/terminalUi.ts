// Questions the headless runner asks on a terminal: variables (hidden input for secrets), confirmations and
// input a running cell waits for (sudo's password, `read`). Without a terminal nothing is guessed: a missing
// variable or an unconfirmed destructive cell is refused, and a cell that waits for input gets end-of-input.
import { createInterface } from 'node:readline';
import type { RunnerUi } from '../core/run/cellRunner.js';
import type { PromptAnswer } from '../core/contract/prompt.js';
import type { ConfirmationPrompt } from '../core/run/confirmPolicy.js';
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
    async confirm(question: string, _reasons: string[], prompt: ConfirmationPrompt) {
      const lines = prompt.lines.map((l) => `  line ${l.line}: ${l.text}`).join('\n');
      const asked = lines ? `${question}\n${lines}` : question;
      if (o.yes) {
        o.log(`${asked}\n— yes (--yes)`);
        return true;
      }
      if (!o.interactive) {
        o.log(`${asked}\n— no (not a terminal; pass --yes to confirm)`);
        return false;
      }
      if (prompt.typeToConfirm) {
        const typed = await ask(`${asked}\n${prompt.typeToConfirm} is a production host: type its name to run: `, false);
        return typed?.trim() === prompt.typeToConfirm;
      }
      const answer = await ask(`${asked}\n[y/N] `, false);
      return /^y(es)?$/i.test(answer?.trim() ?? '');
    },
    async answerPrompt(prompt, context, signal): Promise<PromptAnswer> {
      const what = prompt.text ? `asks "${prompt.text}"` : 'waits for input';
      if (!o.interactive) {
        o.log(`[runbook] ${context.cellName} on ${context.target} ${what}: no terminal to answer on, so it gets end-of-input`);
        return { kind: 'nobody' };
      }
      // The prompt itself was just printed with the cell's output; say who asks, then read the answer.
      process.stderr.write(`\n[runbook] ${context.cellName} on ${context.target} ${what}${prompt.hidden ? ' (typing is hidden)' : ''}; `
        + 'Enter sends the answer, Ctrl-D end-of-input, Ctrl-C cancels the cell. It is never recorded.\n');
      const answer = await ask(`${prompt.text || 'input'} `, prompt.hidden, signal);
      if (answer === 'interrupt') {
        process.kill(process.pid, 'SIGINT'); // the run's own handler cancels the cell
        return { kind: 'eof' };
      }
      return answer === undefined ? { kind: 'eof' } : { kind: 'answer', text: answer };
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

/** Reads one line; undefined on Ctrl-D (or when `signal` aborts), 'interrupt' on Ctrl-C when a signal is given. */
function ask(prompt: string, hidden: boolean): Promise<string | undefined>;
function ask(prompt: string, hidden: boolean, signal: AbortSignal): Promise<string | undefined | 'interrupt'>;
function ask(prompt: string, hidden: boolean, signal?: AbortSignal): Promise<string | undefined | 'interrupt'> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: string | undefined | 'interrupt') => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      rl.close();
      if (hidden || value === undefined) process.stderr.write('\n');
      resolve(value);
    };
    const onAbort = () => finish(undefined);
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    signal?.addEventListener('abort', onAbort, { once: true });
    rl.on('close', () => finish(undefined));
    if (hidden) {
      // Echo nothing while the secret is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stderr.write(prompt);
      };
    }
    rl.question(prompt, (answer) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      rl.close();
      if (hidden) process.stderr.write('\n');
      resolve(answer);
    });
    rl.on('SIGINT', () => finish(signal ? 'interrupt' : undefined));
  });
}
