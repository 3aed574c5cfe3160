// Inventory reading compared with Ansible's own (`ansible-inventory -i FILE --list`), host ranges both
// ways, and front matter groups.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readFrontMatter } from '../../src/core/format/frontMatter.js';
import { Fleet } from '../../src/core/fleet/groups.js';
import { expandHostPattern, foldHosts } from '../../src/core/fleet/hostRange.js';
import { fleetPlan } from '../../src/core/fleet/plan.js';
import { parseInventory } from '../../src/core/fleet/readInventory.js';
import { repoRoot } from './helpers.js';
import { requirement } from '../harness/requirement.js';

const dir = join(repoRoot, 'test', 'fixtures', 'inventories');
const ANSIBLE = '/usr/bin/ansible-inventory';

function ansibleList(file: string): unknown {
  const out = execFileSync(ANSIBLE, ['-i', file, '--list'], {
    encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out);
}

describe('Ansible inventories read as ansible-inventory --list reads them', () => {
  const missing = existsSync(ANSIBLE) ? undefined : `${ANSIBLE} is missing: install Debian's ansible (scripts/install-debian-packages.sh)`;
  for (const name of ['basic.ini', 'nested.ini', 'basic.yml', 'nested.yml']) {
    it(name, { skip: requirement(missing) }, () => {
      assert.equal(missing, undefined, missing);
      const file = join(dir, name);
      const ours = parseInventory(readFileSync(file, 'utf8'), file).toAnsibleList();
      assert.deepEqual(ours, ansibleList(file));
    });
  }
});

describe('inventory members', () => {
  it('a group holds its children’s hosts, all holds every host', () => {
    const inv = parseInventory(readFileSync(join(dir, 'nested.ini'), 'utf8'), 'nested.ini');
    assert.deepEqual(inv.members('frontend'), ['edge-1', 'edge-2', 'edge-3', 'edge-z', 'api08', 'api09', 'api10', 'api11', 'api-canary']);
    assert.equal(inv.members('all')!.length, 14);
    assert.equal(inv.members('nope'), undefined);
    assert.deepEqual(inv.varsOf('edge-z').ansible_host, '127.0.0.9');
  });
  it('rejects groups that are each other’s children', () => {
    assert.throws(() => parseInventory('[a:children]\nb\n[b:children]\na\n', 'x.ini'), /each other/);
  });
});

describe('host ranges', () => {
  it('expands numeric (padded), letter and stepped ranges', () => {
    assert.deepEqual(expandHostPattern('web[08:11]'), ['web08', 'web09', 'web10', 'web11']);
    assert.deepEqual(expandHostPattern('db-[a:c].x'), ['db-a.x', 'db-b.x', 'db-c.x']);
    assert.deepEqual(expandHostPattern('n[0:8:4]'), ['n0', 'n4', 'n8']);
    assert.deepEqual(expandHostPattern('r[1:2]c[1:2]'), ['r1c1', 'r1c2', 'r2c1', 'r2c2']);
    assert.throws(() => expandHostPattern('x[5:1]'), /start is after/);
  });
  it('folds names as clubak does', () => {
    assert.equal(foldHosts(['h03', 'h01', 'h02', 'h07', 'h12', 'h11', 'h10', 'h09', 'h08']), 'h[01-03,07-12]');
    assert.equal(foldHosts(['web-1', 'web-2', 'web-3', 'db', 'web-10']), 'db,web-[1-3,10]');
    assert.equal(foldHosts(['a1.example.com', 'a2.example.com']), 'a[1-2].example.com');
    assert.equal(foldHosts(['solo7']), 'solo7');
    assert.equal(foldHosts(['h1', 'h01']), 'h01,h1');
  });
});

describe('front matter groups', () => {
  const fm = (yaml: string) => {
    const block = readFrontMatter(`---\n${yaml}---\n`);
    assert.deepEqual(block.errors, []);
    return block.data;
  };
  const aliases = () => ['web-1', 'web-2', 'web-10', 'web-11', 'db-1', 'bastion'];

  it('expand ssh-config patterns, ranges, other groups and exclusions', () => {
    const f = new Fleet(fm('hosts:\n  cache: { ssh: c@10.0.0.1 }\ngroups:\n  web: ["web-1*"]\n  edge: ["n[1:3]", cache]\n  most: [web, edge, "!web-11", "!n2"]\n'), { sshAliases: aliases });
    assert.deepEqual(f.group('web')?.members, ['web-1', 'web-10', 'web-11']);
    assert.deepEqual(f.group('most')?.members, ['web-1', 'web-10', 'n1', 'n3', 'cache']);
    assert.equal(f.group('cache'), undefined, 'a host is not a group');
    assert.deepEqual(f.groupNames(), ['web', 'edge', 'most']);
  });
  it('say what is wrong: a pattern matching nothing, groups including each other, an unreadable inventory', () => {
    assert.throws(() => new Fleet(fm('groups:\n  g: ["zz-*"]\n'), { sshAliases: aliases }).group('g'), /matches no host/);
    assert.throws(() => new Fleet(fm('groups:\n  a: [b]\n  b: [a]\n')).group('a'), /include each other/);
    assert.throws(() => new Fleet(fm('inventory: /nonexistent/hosts.ini\n')).group('web'), /cannot read the inventory/);
    const broken = new Fleet(fm('inventory: /nonexistent/hosts.ini\nhosts:\n  box: { ssh: a@b }\n'), { sshAliases: () => ['alias'] });
    assert.equal(broken.group('local'), undefined, 'local still runs');
    assert.equal(broken.group('box'), undefined, 'front matter hosts still run');
    assert.equal(broken.group('alias'), undefined, 'ssh config aliases still run');
    assert.deepEqual(broken.frontMatter()?.hosts, { box: { ssh: 'a@b' } });
  });
  it('inventory groups and hosts: members, and hosts reachable with their ansible_* variables', () => {
    const f = new Fleet(fm('inventory: nested.ini\nhosts:\n  api08: { ssh: me@api08.internal }\n'), { baseDir: dir });
    assert.equal(f.group('frontend')?.source, 'inventory');
    assert.equal(f.group('frontend')?.members.length, 9);
    const hosts = f.hosts();
    assert.deepEqual(hosts['edge-z'], { ssh: 'ops@127.0.0.9' });
    assert.deepEqual(hosts['api-canary'], { ssh: 'api@api-canary', port: 2022 });
    assert.deepEqual(hosts['dba-prod'], { ssh: 'ops@dba-prod', identityFile: '/keys/db' });
    assert.deepEqual(hosts.api08, { ssh: 'me@api08.internal' }, 'the front matter wins');
    assert.ok(f.groupNames().includes('all'));
  });
  it('rejects a malformed groups entry in the front matter schema', () => {
    const block = readFrontMatter('---\ngroups:\n  web: web-1\n---\n');
    assert.match(block.errors[0]!.message, /^groups\.web:/);
  });
});

describe('fleet plan', () => {
  it('reads forks, serial and max_fail as numbers or percentages', () => {
    assert.deepEqual(fleetPlan({}, 40), { forks: 10, batch: 40 });
    assert.deepEqual(fleetPlan({ forks: 50, serial: '25%', max_fail: '10%' }, 40), { forks: 50, batch: 10, maxFail: 4 });
    assert.deepEqual(fleetPlan({ serial: '1%' }, 40), { forks: 10, batch: 1 });
    assert.deepEqual(fleetPlan({ serial: 3, max_fail: 0 }, 5), { forks: 10, batch: 3, maxFail: 0 });
    assert.throws(() => fleetPlan({ serial: 'half' }, 4), /serial=half/);
    assert.throws(() => fleetPlan({ forks: 0 }, 4), /forks must be/);
  });
});
