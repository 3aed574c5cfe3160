// Every skip in the unit tests goes through test/harness/requirement.ts, so that with CI=true a missing
// dependency fails with its reason instead of skipping; and requirement() itself does that.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './helpers.js';

function sources(): { file: string; text: string }[] {
  return ['test/unit', 'test/harness'].flatMap((dir) => readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(repoRoot, dir, f), 'utf8') })));
}

describe('no silent skips', () => {
  it('every `skip` option is requirement(...) or a variable assigned from it; no .skip()/.todo()', () => {
    const bad: string[] = [];
    for (const { file, text } of sources()) {
      if (file.endsWith('noSilentSkips.test.ts') || file.endsWith('requirement.ts')) continue;
      const fromRequirement = new Set([...text.matchAll(/const (\w+) = requirement\(/g)].map((m) => m[1]!));
      text.split('\n').forEach((line, i) => {
        const where = `${file}:${i + 1}: ${line.trim()}`;
        if (/\b(it|test|describe|suite|t)\.(skip|todo)\s*\(/.test(line) || /\btodo\s*:/.test(line)) bad.push(where);
        for (const m of line.matchAll(/\{\s*skip\b\s*(?::\s*([^,}]+))?/g)) {
          const value = (m[1] ?? 'skip').trim();
          const ok = value.startsWith('requirement(')
            || value.split(/\s*\|\|\s*/).every((part) => fromRequirement.has(part) || part.startsWith('requirement('));
          if (!ok) bad.push(where);
        }
      });
    }
    assert.deepEqual(bad, [], 'route these through requirement() in test/harness/requirement.ts');
  });

  it('with CI=true a missing dependency is a failing test that names the reason; without CI it is a skip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-skip-'));
    try {
      const file = join(dir, 'needs.test.ts');
      const harness = join(repoRoot, 'test', 'harness', 'requirement.ts');
      writeFileSync(file, `import { describe, it } from 'node:test';\nimport { requirement } from ${JSON.stringify(harness)};\n`
        + `describe('needs widget', { skip: requirement('widgetd is missing: install widget') }, () => { it('runs', () => {}); });\n`);
      // NODE_TEST_CONTEXT emptied: the inner run reports on its own stdout, not to this runner.
      const run = (ci: string) => spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file],
        { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CI: ci, NODE_TEST_CONTEXT: undefined } });
      const local = run('');
      assert.equal(local.status, 0, local.stdout + local.stderr);
      assert.match(local.stdout, /﹣ needs widget .*# widgetd is missing: install widget/);
      const ci = run('true');
      assert.equal(ci.status, 1, ci.stdout + ci.stderr);
      assert.match(ci.stdout, /✖ missing dependency: widgetd is missing: install widget/);
      assert.match(ci.stdout, /CI=true and a test dependency is missing: widgetd is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
