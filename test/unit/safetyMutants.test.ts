// The confirmation policy rule by rule (written to kill the mutants Stryker found surviving, see
// docs/MUTATION.md): every shell and SQL rule with a case it must flag, its label, and a near miss it must
// not; comment stripping; the line of each danger; which SQL dialect a cell is read in; the question text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunbook } from '../../src/core/format/index.js';
import { confirmationNeeded, confirmationQuestion, dangersOf } from '../../src/core/run/confirmPolicy.js';
import { findDangers } from '../../src/core/safety/destructive.js';
import { sqlDangers } from '../../src/core/sql/dangers.js';

const what = (source: string): string[] => findDangers(source).map((d) => d.what);

describe('shell rules: flagged, with their label', () => {
  const flagged: [string, string][] = [
    ['rm -r dir', 'rm -r/-f'], ['rm -R dir', 'rm -r/-f'], ['rm -f x', 'rm -r/-f'], ['rm -vrf x', 'rm -r/-f'],
    ['rm --recursive d', 'rm -r/-f'], ['rm --force f', 'rm -r/-f'], ['rm  -fr x', 'rm -r/-f'],
    ['systemctl stop a', 'systemctl stop'], ['systemctl restart a', 'systemctl restart'], ['systemctl kill a', 'systemctl kill'],
    ['systemctl disable a', 'systemctl disable'], ['systemctl mask a', 'systemctl mask'], ['systemctl isolate rescue', 'systemctl isolate'],
    ['systemctl poweroff', 'systemctl poweroff'], ['systemctl reboot', 'systemctl reboot'], ['systemctl halt', 'systemctl halt'],
    ['systemctl --no-block --quiet restart a', 'systemctl restart'],
    ['service nginx stop', 'service stop'], ['service nginx restart', 'service restart'],
    ['kill 1', 'kill'], ['killall nginx', 'killall'], ['pkill -f x', 'pkill'], ['true; kill 1', 'kill'], ['a && kill 1', 'kill'],
    ['a | kill 1', 'kill'], ['sudo kill 1', 'kill'], ['sudo  killall x', 'killall'], ['x;  pkill y', 'pkill'],
    ['truncate -s0 f', 'truncate'],
    ['reboot', 'reboot'], ['shutdown -h now', 'shutdown'], ['sudo halt', 'halt'], ['x; poweroff', 'poweroff'],
    ['docker rm c', 'docker rm'], ['docker rmi i', 'docker rmi'], ['docker kill c', 'docker kill'], ['docker stop c', 'docker stop'],
    ['docker restart c', 'docker restart'], ['docker-compose down', 'docker down'], ['docker compose down', 'docker down'],
    ['docker volume prune', 'docker volume prune'], ['docker image prune -a', 'docker image prune'],
    ['docker container prune', 'docker container prune'], ['docker prune', 'docker prune'], ['docker -H h system prune', 'docker system prune'],
    ['kubectl delete pod p', 'kubectl delete'], ['kubectl drain n', 'kubectl drain'], ['kubectl cordon n', 'kubectl cordon'],
    ['kubectl scale deploy/x --replicas=0', 'kubectl scale'], ['kubectl rollout restart deploy/x', 'kubectl rollout restart'],
    ['dd if=a of=b', 'dd'], ['sudo dd if=/dev/zero of=/dev/sdb', 'dd'], ['x; dd bs=1M of=/x', 'dd'],
    ['mkfs /dev/sdb', 'mkfs'], ['mkfs.xfs /dev/sdb', 'mkfs'],
    ['fdisk /dev/sda', 'fdisk'], ['parted /dev/sda', 'parted'], ['wipefs -a /dev/sda', 'wipefs'], ['shred f', 'shred'],
    ['chmod -R 777 /', 'recursive chmod/chown'], ['chown -R a /', 'recursive chmod/chown'],
    ['git push origin main --force', 'git push origin main --force'], ['git reset --hard', 'git reset --hard'], ['git clean -fd', 'git clean -f'],
    ['git clean -xf', 'git clean -xf'], ['git clean -d -f', 'git clean -d -f'], ['git clean -d --force', 'git clean -d --force'],
    ['iptables -F', 'firewall change'], ['iptables --flush', 'firewall change'], ['ufw deny 22', 'firewall change'],
    ['ufw reset', 'firewall change'], ['ufw disable', 'firewall change'],
    ['psql -c "drop table x"', 'drop table'], ['ALTER DATABASE d', 'ALTER DATABASE'], ['TRUNCATE  TABLE t', 'TRUNCATE TABLE'],
    ['DROP SCHEMA s', 'DROP SCHEMA'], ['DROP INDEX i', 'DROP INDEX'], ['DROP VIEW v', 'DROP VIEW'],
    ['mysql -e "delete from t"', 'DELETE without WHERE'], ['x "update t set a=1"', 'UPDATE without WHERE'],
    ['echo x > /dev/sda', 'write to a block device'], ['cat i >/dev/nvme0n1', 'write to a block device'], ['cat i > /dev/vdb', 'write to a block device'],
  ];
  for (const [source, label] of flagged) {
    it(`${source} → ${label}`, () => assert.deepEqual(findDangers(source), [{ what: label, line: 1 }]));
  }
});

describe('shell rules: near misses are not flagged', () => {
  const safe = [
    'rm file', 'rm -i file', 'rmdir d', 'farm -rf x', 'systemctl status a', 'systemctl start a', 'systemctl is-active a',
    'service nginx status', 'service nginx start', 'skill 1', 'echo killall', 'echo pkill', 'mykill 1', 'ls; echo kill',
    'untruncated', 'echo reboot', 'echo shutdown', 'docker ps', 'docker logs c', 'docker compose up -d', 'docker images',
    'kubectl get pods', 'kubectl describe node n', 'kubectl rollout status deploy/x', 'dd if=a', 'echo dd of=x',
    'mkfsx', 'chmod 644 f', 'chown a f', 'chmod -v f', 'git push origin main', 'git reset --soft HEAD~1', 'git clean -n',
    'iptables -L', 'ufw status', 'ufw allow 22', 'DROP', 'SELECT 1', 'ALTER', 'DELETE FROM t WHERE id = 1',
    'UPDATE t SET a = 1 WHERE id = 2', 'cat /dev/sda > x', 'echo x 2>/dev/null', 'cat < /dev/sda', 'echo x > /dev/null',
    'xdelete from', "echo '#'; ls", 'ls # kill 1',
  ];
  for (const source of safe) it(`${source}`, () => assert.deepEqual(findDangers(source), []));
});

describe('shell rules: lines and comments', () => {
  it('one danger per line (the first rule that matches), with 1-based line numbers', () => {
    assert.deepEqual(findDangers('ls\nrm -rf x; systemctl restart y\n\nkill 1'), [{ what: 'rm -r/-f', line: 2 }, { what: 'kill', line: 4 }]);
  });

  it('a comment is ignored from # after whitespace or at the start of a line', () => {
    assert.deepEqual(findDangers('# kill 1\nls # rm -rf /\nls\t# reboot'), []);
  });

  it('# inside a word, $# and quotes does not start a comment', () => {
    assert.deepEqual(what('echo $#; kill 1'), ['kill']);
    assert.deepEqual(what('echo a#b; kill 1'), ['kill']);
    assert.deepEqual(what('echo "# x"; kill 1'), ['kill']);
    assert.deepEqual(what("echo '# x'; kill 1"), ['kill']);
    assert.deepEqual(what('echo "a\\" # b"; kill 1'), ['kill'], 'an escaped quote inside double quotes does not end them');
    assert.deepEqual(what("echo 'a\\' # kill 1"), [], 'single quotes end at the next quote, backslash or not');
    assert.deepEqual(what('echo "it\'s" # kill 1'), [], 'a single quote inside double quotes does not open a string');
  });
});

describe('SQL dangers, statement by statement', () => {
  const sqlWhat = (s: string, dialect?: 'postgres' | 'mysql' | 'sqlite') => sqlDangers(s, dialect).map((d) => [d.what, d.line]);

  it('each SQL-only rule, with its label', () => {
    const cases: [string, string][] = [
      ['DROP MATERIALIZED VIEW mv', 'DROP'], ['DROP FOREIGN TABLE ft', 'DROP'], ['DROP ROLE r', 'DROP'], ['drop function f', 'DROP'],
      ['TRUNCATE t', 'TRUNCATE'], ['truncate t', 'truncate'],
      ['ALTER SYSTEM SET x = 1', 'ALTER SYSTEM'], ['alter user u nologin', 'ALTER USER'], ['ALTER ROLE r NOLOGIN', 'ALTER ROLE'],
      ['ALTER SEQUENCE s RESTART', 'ALTER SEQUENCE'], ['ALTER FUNCTION f() OWNER TO x', 'ALTER FUNCTION'], ['ALTER TABLESPACE t RENAME TO u', 'ALTER TABLESPACE'],
      ['SELECT pg_terminate_backend(1)', 'pg_terminate_backend'], ['select PG_CANCEL_BACKEND (1)', 'pg_cancel_backend'],
      ['KILL 42', 'KILL'], ['  kill query 42', 'kill'], ['SELECT 1; KILL 7', 'KILL'], ['SHUTDOWN', 'SHUTDOWN'], ['VACUUM FULL t', 'VACUUM FULL'], ['vacuum (full) t', 'VACUUM FULL'],
      ['REINDEX TABLE t', 'REINDEX'], ['cluster t', 'CLUSTER'], ['GRANT ALL ON t TO u', 'GRANT'], ['revoke all on t from u', 'REVOKE'],
      ['PRAGMA writable_schema = 1', 'PRAGMA WRITABLE_SCHEMA'], ['pragma journal_mode = OFF', 'PRAGMA JOURNAL_MODE = OFF'],
    ];
    for (const [sql, label] of cases) assert.deepEqual(sqlWhat(sql), [[label, 1]], sql);
  });

  it('near misses of the SQL-only rules', () => {
    for (const sql of ['SELECT 1', 'VACUUM t', 'ANALYZE t', 'ALTER TABLE_X', 'PRAGMA journal_mode = WAL', 'SELECT kill FROM t', 'SELECT shutdown FROM t',
      'SELECT * FROM grants', 'SELECT reindex FROM t', 'SELECT pg_terminate_backend FROM t', 'INSERT INTO t VALUES (1)', 'SELECT truncated FROM t']) {
      assert.deepEqual(sqlWhat(sql), [], sql);
    }
  });

  it('a statement flagged by a shared rule is not flagged again by the SQL rule of the same kind', () => {
    assert.deepEqual(sqlWhat('DROP TABLE t'), [['DROP TABLE', 1]]);
    assert.deepEqual(sqlWhat('TRUNCATE TABLE t'), [['TRUNCATE TABLE', 1]]);
    assert.deepEqual(sqlWhat('ALTER TABLE t ADD c int'), [['ALTER TABLE', 1]]);
    assert.deepEqual(sqlWhat('DROP TABLE a; DROP VIEW v'), [['DROP TABLE', 1], ['DROP VIEW', 1]]);
  });

  it('two different SQL-only dangers in one statement are both named', () => {
    assert.deepEqual(sqlWhat('SELECT pg_terminate_backend(1), pg_cancel_backend(2)'), [['pg_terminate_backend', 1]]);
    assert.deepEqual(sqlWhat('GRANT x TO y; VACUUM FULL'), [['GRANT', 1], ['VACUUM FULL', 1]]);
  });

  it('the line is where the statement starts, after leading blank lines and whitespace', () => {
    assert.deepEqual(sqlWhat('\n\n   DROP TABLE t;\n  \n\tTRUNCATE u;'), [['DROP TABLE', 3], ['TRUNCATE', 5]]);
    assert.deepEqual(sqlWhat('SELECT 1;\n-- note\nDELETE\nFROM t;'), [['DELETE without WHERE', 3]]);
  });

  it('statements spread over lines are read as one line', () => {
    assert.deepEqual(sqlWhat('DROP\n  TABLE\n  t;'), [['DROP TABLE', 1]]);
    assert.deepEqual(sqlWhat('VACUUM\n(\nFULL\n)'), [['VACUUM FULL', 1]]);
  });

  it('sqlite dot-commands are not read as SQL; the dialect decides what is a comment', () => {
    assert.deepEqual(sqlWhat('.tables\nDROP TABLE t;', 'sqlite'), [['DROP TABLE', 2]]);
    assert.deepEqual(sqlWhat('# DROP TABLE t\nSELECT 1;', 'mysql'), []);
    assert.deepEqual(sqlWhat('SELECT 1 # DROP TABLE t', 'postgres').length, 1, 'in PostgreSQL # is not a comment');
  });
});

describe('confirmation policy', () => {
  const fm = (yaml: string) => parseRunbook(`---\n${yaml}---\n`).frontMatter!.data!;

  it('shell cells use the shell rules, SQL cells the SQL rules', () => {
    assert.deepEqual(dangersOf('TRUNCATE t', 'sql', {}).map((d) => d.what), ['TRUNCATE']);
    assert.deepEqual(dangersOf('TRUNCATE t', 'shellscript', {}), [], 'upper-case TRUNCATE is not the truncate command');
    assert.deepEqual(dangersOf('truncate -s0 f', 'shellscript', {}).map((d) => d.what), ['truncate']);
    assert.deepEqual(dangersOf('GRANT x TO y', 'sql', {}).map((d) => d.what), ['GRANT']);
    assert.deepEqual(dangersOf('GRANT x TO y', 'http', {}), []);
  });

  it('the SQL dialect is the db= connection, else the only connection, else PostgreSQL', () => {
    const two = fm('connections:\n  my: { driver: mysql, url: "mysql://u@h/d" }\n  pg: { driver: postgres, url: "postgres://u@h/d" }\n');
    const one = fm('connections:\n  my: { driver: mysql, url: "mysql://u@h/d" }\n');
    const hashDrop = 'SELECT 1 # DROP TABLE t';
    assert.deepEqual(dangersOf(hashDrop, 'sql', { db: 'my' }, two), [], 'db=my: MySQL comment');
    assert.equal(dangersOf(hashDrop, 'sql', { db: 'pg' }, two).length, 1, 'db=pg: not a comment');
    assert.deepEqual(dangersOf(hashDrop, 'sql', {}, one), [], 'the only connection is MySQL');
    assert.equal(dangersOf(hashDrop, 'sql', {}, two).length, 1, 'two connections, no db=: PostgreSQL');
    assert.equal(dangersOf(hashDrop, 'sql', {}).length, 1, 'no front matter: PostgreSQL');
    assert.equal(dangersOf(hashDrop, 'sql', { db: 'nope' }, two).length, 1, 'unknown db=: PostgreSQL');
    assert.deepEqual(dangersOf(hashDrop, 'sql', { db: 'nope' }, one), [], 'unknown db= with a single connection: that one');
    assert.equal(dangersOf(hashDrop, 'sql', { db: 1 as unknown as string }, one).length, 0);
  });

  it('confirm=true (boolean or string) asks with its own reason, first; other values do not', () => {
    const reasons = (...a: Parameters<typeof confirmationNeeded>) => confirmationNeeded(...a)?.reasons;
    assert.deepEqual(reasons('ls', { confirm: true }), ['the cell is marked confirm=true']);
    assert.deepEqual(reasons('ls', { confirm: 'true' }), ['the cell is marked confirm=true']);
    assert.equal(confirmationNeeded('ls', { confirm: false }), undefined);
    assert.equal(confirmationNeeded('ls', { confirm: 'yes' }), undefined);
    assert.equal(confirmationNeeded('ls', {}), undefined);
    assert.deepEqual(reasons('ls\nkill 1', { confirm: true }), ['the cell is marked confirm=true', 'line 2: kill']);
    assert.deepEqual(reasons('DROP TABLE t;\nSELECT 1;\nTRUNCATE u;', {}, 'sql'), ['line 1: DROP TABLE', 'line 3: TRUNCATE']);
    assert.deepEqual(confirmationNeeded('DROP TABLE t;\nSELECT 1;\nTRUNCATE u;', {}, 'sql')?.dangers, [{ what: 'DROP TABLE', line: 1 }, { what: 'TRUNCATE', line: 3 }]);
    assert.deepEqual(reasons('rm -rf x', {}), ['line 1: rm -r/-f'], 'shell is the default language');
  });

  it('the question names the cell, the target and every reason', () => {
    assert.equal(confirmationQuestion('wipe', 'deploy@db-1:22', { reasons: ['the cell is marked confirm=true', 'line 2: kill'] }),
      'Run "wipe" on deploy@db-1:22? the cell is marked confirm=true; line 2: kill.');
  });
});
