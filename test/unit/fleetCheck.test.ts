// Groups in the checks and the language server: `host=GROUP` is known (front matter groups, inventory
// groups), an unknown group is an error naming the groups there are, completion offers the groups.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkRunbook } from '../../src/core/check/index.js';
import { complete } from '../../src/lsp/completion.js';
import { textView } from '../../src/lsp/views.js';
import { repoRoot } from './helpers.js';

const inventories = join(repoRoot, 'test', 'fixtures', 'inventories');
const doc = (host: string) => `---
hosts:
  web-1: { ssh: deploy@web-1.example.com }
groups:
  web: [web-1, "web-2*"]
inventory: nested.ini
---
\`\`\`bash {name=a host=${host}}
uptime
\`\`\`
`;
const unknown = (host: string, baseDir?: string) =>
  checkRunbook(doc(host), { sshConfig: 'Host web-22\n', ...(baseDir ? { baseDir } : {}) }).filter((d) => d.code === 'unknown-host');

describe('groups in the checks', () => {
  it('a front matter group or an inventory group is a valid host=', () => {
    assert.deepEqual(unknown('web', inventories), []);
    assert.deepEqual(unknown('frontend', inventories), []);
    assert.deepEqual(unknown('all', inventories), []);
  });
  it('an unknown group is an error that lists the groups', () => {
    const [d, ...rest] = unknown('webz', inventories);
    assert.equal(rest.length, 0);
    assert.equal(d!.severity, 'error');
    assert.match(d!.message, /Unknown host "webz".*groups web, all, ungrouped, edge/);
  });
  it('without the runbook’s directory the inventory groups are unknown, front matter groups still count', () => {
    assert.equal(unknown('frontend').length, 1);
    assert.deepEqual(unknown('web'), []);
  });
  it('completion after host= offers the groups', () => {
    const URI = `file://${inventories}/x.runbook.md`;
    const text = doc('');
    const v = textView(TextDocument.create(URI, 'markdown', 1, text), { baseDir: inventories });
    const labels = complete(v.ctx, v.spotAt(URI, 7, 21)!)?.items.map((i) => i.label) ?? [];
    assert.ok(labels.includes('web-1'), labels.join(','));
    assert.ok(labels.includes('web') && labels.includes('frontend'), labels.join(','));
  });
  it('an inventory that cannot be read is an error on its line', () => {
    const text = '---\ntitle: t\ninventory: missing.ini\n---\n';
    const [d, ...rest] = checkRunbook(text, { baseDir: inventories }).filter((x) => x.code === 'bad-inventory');
    assert.equal(rest.length, 0);
    assert.equal(d!.range.start.line, 2);
    assert.match(d!.message, /cannot read the inventory missing\.ini: ENOENT/);
    const broken = '---\ninventory: ../../../package.json\n---\n';
    assert.equal(checkRunbook(broken, { baseDir: inventories }).filter((x) => x.code === 'bad-inventory').length, 1);
    assert.deepEqual(checkRunbook(doc('web'), { baseDir: inventories }).filter((x) => x.code === 'bad-inventory'), []);
  });
});
