// The one way a test says it needs something the machine may lack (root, sshd, PostgreSQL, MariaDB, sudo,
// Prometheus, sqlite3, ssh-keygen, code-server, Chromium). Use its result as node:test's `skip` option:
//
//   describe('PostgreSQL cells', { skip: requirement(postgresSkipReason()) }, () => { ... });
//
// On a developer machine a missing dependency skips the tests and says why. With CI=true nothing may be
// skipped silently: a test named "missing dependency: <reason>" is registered and fails with the reason
// (and the dependent tests are reported as skipped, which scripts/test.sh counts and .ci/run refuses).
import { existsSync } from 'node:fs';
import { it } from 'node:test';

export function inCi(): boolean {
  return /^(1|true|yes)$/i.test(process.env.CI ?? '');
}

/** `skip` option for tests needing a dependency: `false` when `reason` is empty, else the reason. */
export function requirement(...reasons: (string | undefined | false | null)[]): string | false {
  const reason = reasons.find((r): r is string => typeof r === 'string' && r.length > 0);
  if (!reason) return false;
  if (inCi()) {
    it(`missing dependency: ${reason}`, () => {
      throw new Error(`CI=true and a test dependency is missing: ${reason}`);
    });
  }
  return reason;
}

/** Why a test needing root cannot run, or undefined. */
export function rootMissing(what = 'this test'): string | undefined {
  return process.getuid?.() === 0 ? undefined : `${what} must run as root (as CI does)`;
}

/** Why a test needing an installed program cannot run, or undefined. `pkg` names the Debian package. */
export function programMissing(path: string, pkg: string): string | undefined {
  return existsSync(path) ? undefined : `${path} is missing: install ${pkg} (bash scripts/install-debian-packages.sh)`;
}

export const sudoMissing = (): string | undefined => programMissing('/usr/bin/sudo', 'sudo');
export const sqliteMissing = (): string | undefined => programMissing('/usr/bin/sqlite3', 'sqlite3');
export const keygenMissing = (): string | undefined => programMissing('/usr/bin/ssh-keygen', 'openssh-client');
export const prometheusMissing = (): string | undefined => programMissing('/usr/bin/prometheus', 'prometheus');
export const chromiumMissing = (): string | undefined =>
  programMissing(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', 'chromium');
