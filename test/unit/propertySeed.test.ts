// Property tests are reproducible (issue 16.1): a failure prints its seed and the command that replays it, the
// same seed finds the same counterexample, and in CI the seed comes from the commit, not from the clock.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fc-seed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A property that fails for about half of all inputs, and prints the seed it ran with.
const script = join(dir, 'failing.ts');
writeFileSync(script, `
import fc from ${JSON.stringify(join(repoRoot, 'node_modules', 'fast-check', 'lib', 'cjs', 'fast-check.js'))};
import { check, seed } from ${JSON.stringify(join(repoRoot, 'test', 'unit', 'propertySeed.ts'))};
console.log('seed=' + seed);
try {
  check(fc.property(fc.integer(), (n) => n % 7 !== 3), 1000);
} catch (e) {
  console.log((e as Error).message);
}
`);

function run(env: Record<string, string | undefined>): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot, encoding: 'utf8', env: { ...process.env, FC_SEED: undefined, CI: undefined, GITHUB_SHA: undefined, CI_COMMIT_SHA: undefined, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const counterexample = (out: string): string => /Counterexample: (.*)/.exec(out)?.[1] ?? '';

describe('property test seeds', () => {
  it('a failure names its seed and how to replay it, and the replay finds the same counterexample', () => {
    const first = run({});
    const seed = /seed=(-?\d+)/.exec(first)![1]!;
    assert.match(first, new RegExp(`property failed with seed ${seed}: replay with FC_SEED=${seed} npm run test:unit`));
    assert.ok(counterexample(first), first);
    const replay = run({ FC_SEED: seed });
    assert.match(replay, new RegExp(`seed=${seed}\\n`));
    assert.equal(counterexample(replay), counterexample(first));
  });

  it('in CI the seed is derived from the commit: the same for every run of a commit, another for another commit', () => {
    const a = /seed=(-?\d+)/.exec(run({ CI: 'true', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' }))![1];
    const b = /seed=(-?\d+)/.exec(run({ CI: 'true', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' }))![1];
    const c = /seed=(-?\d+)/.exec(run({ CI: 'true', GITHUB_SHA: 'fedcba9876543210fedcba9876543210fedcba98' }))![1];
    assert.equal(a, b);
    assert.notEqual(a, c);
    // Without a SHA in the environment, the checkout's HEAD.
    let head: string;
    try {
      head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      head = '';
    }
    if (head) {
      const fromGit = /seed=(-?\d+)/.exec(run({ CI: 'true' }))![1];
      const fromSha = /seed=(-?\d+)/.exec(run({ CI: 'true', GITHUB_SHA: head }))![1];
      assert.equal(fromGit, fromSha);
    }
  });

  it('refuses a seed that is not an integer', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, FC_SEED: 'abc' } });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /FC_SEED must be an integer/);
  });
});
