// One seed for every property test of a run, printed with each failure so the run can be replayed:
//   FC_SEED=<seed> npm run test:unit
// In CI (CI=true) the seed is derived from the commit under test, so a red run is red again on replay and a
// green one is not green by chance; elsewhere it is fresh each run. FC_SCALE multiplies every example count
// (`npm run test:deep` sets it).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fc from 'fast-check';

const FIXED_SEED = 20261123;

function commitSeed(): number {
  let sha = process.env.GITHUB_SHA ?? process.env.CI_COMMIT_SHA ?? '';
  if (!sha) {
    try {
      sha = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return FIXED_SEED;
    }
  }
  return createHash('sha256').update(sha).digest().readInt32LE(0);
}

function chooseSeed(): number {
  const pinned = process.env.FC_SEED;
  if (pinned !== undefined && pinned !== '') {
    const n = Number(pinned);
    if (!Number.isInteger(n)) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(pinned)}`);
    return n;
  }
  if (process.env.CI === 'true') return commitSeed();
  return (Date.now() ^ (process.pid << 16)) | 0;
}

export const seed = chooseSeed();
const scale = process.env.FC_SCALE ? Number(process.env.FC_SCALE) : 1;

/**
 * fc.assert with the run's seed and `runs` examples (times FC_SCALE). A failure names the seed and the
 * command that replays it; fast-check adds the counterexample and its path.
 */
export function check<T>(property: fc.IProperty<T>, runs: number): void {
  const numRuns = Math.max(1, Math.round(runs * scale));
  try {
    fc.assert(property, { numRuns, seed });
  } catch (err) {
    const e = err as Error;
    e.message = `property failed with seed ${seed}: replay with FC_SEED=${seed} npm run test:unit\n${e.message}`;
    throw e;
  }
}
