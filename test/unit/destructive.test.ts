// Destructive-command detection (DESIGN §3).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDangers } from '../../src/core/safety/destructive.js';
import { formatDuration, parseDuration } from '../../src/core/util/duration.js';

describe('destructive commands', () => {
  const cases: [string, string][] = [
    ['rm -rf /tmp/x', 'rm -r/-f'],
    ['sudo rm -f /var/log/app.log', 'rm -r/-f'],
    ['sudo systemctl restart cvd', 'systemctl restart'],
    ['systemctl stop nginx', 'systemctl stop'],
    ['sudo kill -9 1234', 'kill'],
    ['pkill -f gunicorn', 'pkill'],
    ['truncate -s 0 app.log', 'truncate'],
    ['sudo reboot', 'reboot'],
    ['docker system prune -af', 'docker system prune'],
    ['docker-compose -f prod.yml restart backend', 'docker restart'],
    ['sudo dd if=/dev/sda of=/backup/x.img', 'dd'],
    ['mkfs.ext4 /dev/sdb1', 'mkfs'],
    ['psql -c "DROP TABLE users"', 'DROP TABLE'],
    ['sqlite3 db "DELETE FROM sessions"', 'DELETE without WHERE'],
  ];
  for (const [source, what] of cases) {
    it(`flags ${source}`, () => assert.deepEqual(findDangers(source), [{ what, line: 1 }]));
  }

  const safe = ['systemctl status cvd', 'ls -la /tmp', 'grep -r kill logs/', 'echo hello # then rm -rf by hand',
    'sqlite3 db "DELETE FROM sessions WHERE expires < now()"', 'docker ps', 'df -h', 'journalctl -u cvd --since "1 hour ago"'];
  for (const source of safe) {
    it(`does not flag ${source}`, () => assert.deepEqual(findDangers(source), []));
  }

  it('flags commands inside quotes too (ssh host "sudo systemctl restart x")', () => {
    assert.deepEqual(findDangers('ssh web "sudo systemctl restart nginx"'), [{ what: 'systemctl restart', line: 1 }]);
  });

  it('reports the line of each danger', () => {
    assert.deepEqual(findDangers('echo start\n# rm -rf /\nsudo systemctl restart nginx'), [{ what: 'systemctl restart', line: 3 }]);
  });
});

describe('durations', () => {
  it('parses runbook durations', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('12'), 12_000);
    assert.equal(parseDuration('soon'), undefined);
  });
  it('formats durations for people', () => {
    assert.equal(formatDuration(412), '412 ms');
    assert.equal(formatDuration(3200), '3.2 s');
    assert.equal(formatDuration(245_000), '4 min 05 s');
    assert.equal(formatDuration(3_720_000), '1 h 02 min');
  });
});
