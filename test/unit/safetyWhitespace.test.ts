// Destructive-command rules with the spacing people really type (two spaces, tabs, no space after `;`) and
// comments after quotes: written to kill the mutants that survived the first Stryker run (docs/MUTATION.md).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDangers } from '../../src/core/safety/destructive.js';
import { sqlDangers } from '../../src/core/sql/dangers.js';

const what = (source: string): string[] => findDangers(source).map((d) => d.what);

describe('destructive commands with more than one space, tabs, or none', () => {
  const flagged: [string, string][] = [
    ['rm -fv x', 'rm -r/-f'],
    ['systemctl  restart x', 'systemctl restart'], ['systemctl --now  stop x', 'systemctl stop'],
    ['service  nginx stop', 'service stop'], ['service nginx \trestart', 'service restart'],
    ['x;reboot', 'reboot'], ['sudo  shutdown -h now', 'shutdown'],
    ['docker  rm c', 'docker rm'], ['docker -H  h rm c', 'docker rm'], ['docker system  prune', 'docker system  prune'],
    ['docker volume  prune', 'docker volume  prune'], ['docker image  prune', 'docker image  prune'],
    ['docker container  prune', 'docker container  prune'],
    ['kubectl  delete pod p', 'kubectl delete'], ['kubectl rollout  restart deploy/x', 'kubectl rollout  restart'],
    ['x;dd of=/dev/sdb', 'dd'], ['sudo  dd if=a of=b', 'dd'], ['dd  if=a of=b', 'dd'],
    ['chmod  -R 777 /srv', 'recursive chmod/chown'], ['chown  -R a /srv', 'recursive chmod/chown'],
    ['git  reset --hard', 'git reset --hard'], ['git reset  --hard', 'git reset  --hard'], ['git clean  -f', 'git clean  -f'],
    ['git clean -dx -f', 'git clean -dx -f'], ['git clean -d  -f', 'git clean -d  -f'],
    ['iptables  -F', 'firewall change'], ['ufw  deny 22', 'firewall change'],
    ['psql -c "DELETE  FROM t"', 'DELETE without WHERE'], ['psql -c "UPDATE  tbl SET a = 1"', 'UPDATE without WHERE'],
    ['psql -c "UPDATE tbl  SET a = 1"', 'UPDATE without WHERE'], ['psql -c "UPDATE tbl SET a = 1"', 'UPDATE without WHERE'],
    ['> /dev/sda', 'write to a block device'],
  ];
  for (const [source, label] of flagged) {
    it(`${JSON.stringify(source)} → ${label}`, () => assert.deepEqual(findDangers(source), [{ what: label, line: 1 }]));
  }

  it('docker-xcompose is not docker compose', () => assert.deepEqual(what('docker-xcompose down'), []));
});

describe('comments after quotes', () => {
  it('a # after a closed quote starts a comment; inside quotes it does not', () => {
    assert.deepEqual(what('echo "a" # rm -rf x'), [], 'double quotes closed');
    assert.deepEqual(what("echo 'a' # rm -rf x"), [], 'single quotes closed');
    assert.deepEqual(what('echo "it\'s" # rm -rf x'), [], "a ' inside double quotes does not open a string");
    assert.deepEqual(what('echo "ab" # rm -rf x'), [], 'only a backslash skips the next character');
    assert.deepEqual(what('echo "a # b"; rm -rf x'), ['rm -r/-f'], '# inside double quotes');
    assert.deepEqual(what("echo 'a # b'; rm -rf x"), ['rm -r/-f'], '# inside single quotes');
    assert.deepEqual(what('echo "a\\" # b"; rm -rf x'), ['rm -r/-f'], 'an escaped quote does not end the string');
    assert.deepEqual(what("echo 'a\\' # rm -rf x"), [], 'in single quotes a backslash is literal');
    assert.deepEqual(what('ls #rm -rf x'), [], '# after whitespace, followed by a word');
    assert.deepEqual(what('ls x#y; rm -rf x'), ['rm -r/-f'], '# inside a word');
  });
});

describe('SQL rules with more than one space', () => {
  it('DROP and ALTER with two spaces', () => {
    assert.deepEqual(sqlDangers('DROP  ROLE r').map((d) => d.what), ['DROP']);
    assert.deepEqual(sqlDangers('ALTER  ROLE r NOLOGIN').map((d) => d.what), ['ALTER ROLE']);
  });

  it('a statement with a shared danger and a SQL-only one of another word names both', () => {
    assert.deepEqual(sqlDangers('DELETE FROM t USING u DROP v').map((d) => d.what), ['DELETE without WHERE', 'DROP']);
  });
});
