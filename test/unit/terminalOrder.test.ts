// Why the prompt watcher and the echo filter cannot rely on arrival order (issue 16 point 4; DESIGN-NOTES
// "Terminal output arrives out of order"): with a terminal, a cell's stderr is the merge of two pipes, the
// shell's own stderr (fd 5 of script, written directly) and the terminal's output, which script(1) relays
// from the pseudo-terminal. Whatever delays script (a loaded machine; here SIGSTOP makes it deterministic)
// delays only the terminal's bytes: text a program wrote to the terminal first arrives after text it wrote
// to stderr later, and a program is already blocked reading the terminal before its prompt's text arrives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { hasUtilLinuxScript } from '../../src/core/prompt/ttyShell.js';
import { localTransport } from '../../src/core/shell/localTransport.js';
import type { ShellTransport } from '../../src/core/shell/transport.js';
import { requirement } from '../harness/requirement.js';

const missing = hasUtilLinuxScript() ? undefined : 'util-linux script(1) is not installed';
const transports: ShellTransport[] = [];
after(async () => { for (const t of transports) await t.kill(); });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(20);
  }
}
const ppidOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);

async function shellWithStoppableRelay(): Promise<{ t: ShellTransport; err: () => string; relay: number }> {
  const t = localTransport()();
  transports.push(t);
  let err = '';
  t.onStderr((b) => { err += b.toString(); });
  t.write('echo ready\n');
  await until(() => t.pid !== undefined);
  // script(1) is the shell's parent: it relays the pseudo-terminal's output.
  const relay = ppidOf(t.pid!);
  assert.match(readFileSync(`/proc/${relay}/cmdline`, 'utf8'), /^script\0/);
  return { t, err: () => err, relay };
}

describe('terminal output and stderr travel different ways', { skip: requirement(missing) }, () => {
  it('text written to the terminal first arrives after stderr written later, when the relay is delayed', async () => {
    const { t, err, relay } = await shellWithStoppableRelay();
    process.kill(relay, 'SIGSTOP');
    try {
      t.write(`printf 'first-to-terminal\\n' > /dev/tty; printf 'second-to-stderr\\n' >&2\n`);
      await until(() => err().includes('second-to-stderr'));
      await sleep(200);
      assert.ok(!err().includes('first-to-terminal'), 'the terminal text waits in the pseudo-terminal while script is held');
    } finally {
      process.kill(relay, 'SIGCONT');
    }
    await until(() => err().includes('first-to-terminal'));
    assert.ok(err().indexOf('second-to-stderr') < err().indexOf('first-to-terminal'), JSON.stringify(err()));
  });

  it('a program is already waiting for input before its prompt\'s text has arrived', async () => {
    const { t, err, relay } = await shellWithStoppableRelay();
    process.kill(relay, 'SIGSTOP');
    try {
      t.write(`printf 'Question? ' > /dev/tty; read -r x < /dev/tty; echo "got:$x"\n`);
      let waiting = false;
      for (let i = 0; i < 100 && !waiting; i++) {
        const probe = await t.probeInput!();
        waiting = !!probe && probe.readers.length + probe.likely.length > 0;
        if (!waiting) await sleep(50);
      }
      assert.ok(waiting, 'the probe sees a reader of the terminal');
      assert.ok(!err().includes('Question?'), 'while the prompt text has not arrived');
    } finally {
      process.kill(relay, 'SIGCONT');
    }
    await until(() => err().includes('Question? '));
    t.writeInput!('answer\n');
  });
});
