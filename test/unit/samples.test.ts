// Issue 18 §1: the samples travel. "Open Sample Runbooks" copies every sample runbook and drill scenario
// into a folder of the user's without overwriting anything, and a runbook finds its scenarios through its
// front matter (`drills:`), so a renamed copy keeps its drills.
import assert from 'node:assert/strict';
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listScenarios, scenariosForRunbook } from '../../src/core/drill/index.js';
import { parseRunbook } from '../../src/core/format/index.js';
import { copySamples } from '../../src/core/samples/copySamples.js';
import { samplesDir } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'rb-samples-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const sampleRunbooks = readdirSync(samplesDir).filter((n) => n.endsWith('.runbook.md')).sort();

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]);
}

describe('sample runbooks name their drills', () => {
  it('every sample lists its scenarios in front matter, and every scenario is listed by the runbook it drills', () => {
    const listed = new Set<string>();
    for (const name of sampleRunbooks) {
      const drills = parseRunbook(readFileSync(join(samplesDir, name), 'utf8')).frontMatter?.data?.drills;
      assert.ok(drills?.length, `${name} has no drills: in its front matter`);
      for (const s of scenariosForRunbook(join(samplesDir, name), drills).scenarios) {
        assert.equal(s.manifest.runbook, name, `${s.dir} drills ${s.manifest.runbook}, listed by ${name}`);
        listed.add(s.dir);
      }
    }
    const all = listScenarios(join(samplesDir, 'drills')).map((s) => s.dir);
    assert.ok(all.length >= sampleRunbooks.length);
    assert.deepEqual([...listed].sort(), all.sort(), 'every shipped scenario is named by a sample');
  });
});

describe('copySamples', () => {
  const dest = join(tmp, 'my runbooks');

  it('copies every sample runbook and every drill file, scripts still executable', () => {
    const r = copySamples(samplesDir, dest);
    assert.deepEqual(r.runbooks, sampleRunbooks);
    const expected = [...sampleRunbooks, ...filesUnder(join(samplesDir, 'drills'), 'drills/')].sort();
    assert.deepEqual(r.copied.slice().sort(), expected);
    assert.deepEqual(r.kept, []);
    assert.deepEqual(filesUnder(dest).sort(), expected);
    for (const f of expected) {
      const mode = statSync(join(samplesDir, f)).mode & 0o777;
      assert.equal(statSync(join(dest, f)).mode & 0o777, mode, `${f} keeps its mode`);
    }
    accessSync(join(dest, 'drills', '_common', 'bin', 'systemctl'), constants.X_OK);
  });

  it('never overwrites a file the user already has, and copies what is missing', () => {
    const mine = join(dest, sampleRunbooks[0]!);
    writeFileSync(mine, '# my edited copy\n');
    rmSync(join(dest, sampleRunbooks[1]!));
    const r = copySamples(samplesDir, dest);
    assert.deepEqual(r.copied, [sampleRunbooks[1]]);
    assert.ok(r.kept.includes(sampleRunbooks[0]!));
    assert.equal(readFileSync(mine, 'utf8'), '# my edited copy\n');
  });

  it('makes the drills\' programs executable even when the unpacked extension lost their mode bits', () => {
    const src = join(tmp, 'unpacked');
    mkdirSync(join(src, 'drills', 's', 'x', 'bin'), { recursive: true });
    writeFileSync(join(src, 'a.runbook.md'), '# A\n');
    writeFileSync(join(src, 'drills', 's', 'x', 'bin', 'tool'), '#!/bin/sh\necho ok\n', { mode: 0o644 });
    writeFileSync(join(src, 'drills', 's', 'x', 'setup.sh'), '#!/bin/sh\n', { mode: 0o644 });
    writeFileSync(join(src, 'drills', 's', 'x', 'notes.txt'), 'n\n', { mode: 0o644 });
    const out = join(tmp, 'unpacked-copy');
    copySamples(src, out);
    accessSync(join(out, 'drills', 's', 'x', 'bin', 'tool'), constants.X_OK);
    accessSync(join(out, 'drills', 's', 'x', 'setup.sh'), constants.X_OK);
    assert.equal(statSync(join(out, 'drills', 's', 'x', 'notes.txt')).mode & 0o111, 0);
  });

  it('refuses a folder without sample runbooks', () => {
    assert.throws(() => copySamples(join(tmp, 'nothing-here'), join(tmp, 'x')), /no samples/);
  });
});

describe('scenariosForRunbook', () => {
  it('a renamed copy keeps its drills through front matter; without drills: the file-name rule finds none', () => {
    const dest = join(tmp, 'renamed');
    copySamples(samplesDir, dest);
    const renamed = join(dest, 'payments-p0.runbook.md');
    renameSync(join(dest, 'cvd-incident-response.runbook.md'), renamed);
    const text = readFileSync(renamed, 'utf8');
    const drills = parseRunbook(text).frontMatter?.data?.drills;
    const found = scenariosForRunbook(renamed, drills).scenarios;
    assert.ok(found.length >= 1);
    assert.ok(found.every((s) => s.manifest.runbook === 'cvd-incident-response.runbook.md' && s.dir.startsWith(dest)));
    // The old rule (drills/<file name>/) alone cannot find them any more.
    assert.deepEqual(scenariosForRunbook(renamed, undefined).scenarios, []);
    // The file-name rule still serves a runbook without drills: (and a scenario folder may be named directly).
    assert.ok(scenariosForRunbook(join(dest, 'novacron-incident-response.runbook.md')).scenarios.length >= 1);
    const one = found[0]!.dir;
    assert.deepEqual(scenariosForRunbook(renamed, [one]).scenarios.map((s) => s.dir), [one]);
  });
});
