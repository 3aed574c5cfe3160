// Shared helpers for unit tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';

export const repoRoot = join(__dirname, '..', '..');
/** The seed runbooks next to the repository (RUNBOOK_SEEDS_DIR when the tests run from a copy, e.g. Stryker's sandbox). */
export const seedsDir = process.env.RUNBOOK_SEEDS_DIR ?? join(repoRoot, '..', 'shared', 'seeds');
export const samplesDir = join(repoRoot, 'samples');

export function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => join(dir, f));
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

export function roundtrip(text: string): string {
  return serializeRunbook(parseRunbook(text));
}
