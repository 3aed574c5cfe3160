// A throw-away user whose sudo asks for a password, for tests against Debian's real sudo: `rbsudo`, created
// once with useradd (idempotent, safe when several test files do it at once), a known test password set with
// chpasswd, and /etc/sudoers.d/rbsudo-test (`rbsudo ALL=(ALL:ALL) ALL`, no lecture) checked with `visudo -c`
// before it is put in place. removeSudoUser() takes both away again. Needs root: sudoUserSkipReason() says why not.
// The user has no key or password login anywhere but the test sshd (its own authorized_keys).

import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SUDO_USER = 'rbsudo';
/** Only ever the password of this test user, on a machine running the tests. */
export const SUDO_PASSWORD = 'rb-sudo-Test-pw-7341';
const SUDOERS_FILE = `/etc/sudoers.d/${SUDO_USER}-test`;

export function sudoUserSkipReason(): string | undefined {
  if (!existsSync('/usr/bin/sudo')) return 'sudo is missing: install it (bash scripts/install-debian-packages.sh)';
  if (!existsSync('/usr/sbin/visudo')) return 'visudo is missing (Debian package sudo)';
  if (process.getuid?.() !== 0) return 'the sudo tests create a user and a sudoers entry: run them as root (as CI does)';
  return undefined;
}

export interface SudoUser {
  name: string;
  password: string;
  uid: number;
  home: string;
  /** Environment for a shell of this user. */
  env: NodeJS.ProcessEnv;
  /** Wrapper running a local shell as this user (LocalTransportOptions.wrapper). */
  wrapper: string[];
}

export function ensureSudoUser(): SudoUser {
  const name = SUDO_USER;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      execFileSync('id', ['-u', name], { stdio: 'ignore' });
      break;
    } catch {
      try {
        execFileSync('useradd', ['-m', '-s', '/bin/bash', name], { stdio: 'ignore' });
        break;
      } catch {
        sleepSync(100); // another test file holds the passwd lock or created the user meanwhile
      }
    }
  }
  // Same password from every test file, so concurrent calls agree.
  retry(() => execFileSync('chpasswd', { input: `${name}:${SUDO_PASSWORD}\n`, stdio: ['pipe', 'ignore', 'ignore'] }));
  const rule = `# runbook tests: ${name} may use sudo, with its password\nDefaults:${name} lecture=never\n${name} ALL=(ALL:ALL) ALL\n`;
  if (!existsSync(SUDOERS_FILE) || readFileSync(SUDOERS_FILE, 'utf8') !== rule) {
    const dir = mkdtempSync(join(tmpdir(), 'rb-sudoers-'));
    const tmp = join(dir, 'rule');
    writeFileSync(tmp, rule, { mode: 0o440 });
    execFileSync('visudo', ['-c', '-q', '-f', tmp], { stdio: 'ignore' }); // throws on a bad rule: nothing installed
    chmodSync(tmp, 0o440);
    try {
      renameSync(tmp, SUDOERS_FILE);
    } catch {
      writeFileSync(SUDOERS_FILE, rule, { mode: 0o440 }); // another filesystem: write in place (already checked)
    }
    rmSync(dir, { recursive: true, force: true });
  }
  execFileSync('visudo', ['-c', '-q'], { stdio: 'ignore' }); // the whole configuration still parses
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const home = `/home/${name}`;
  return {
    name,
    password: SUDO_PASSWORD,
    uid,
    home,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', HOME: home, USER: name, LOGNAME: name, LANG: 'C.UTF-8', SHELL: '/bin/bash' },
    wrapper: ['setpriv', `--reuid=${name}`, `--regid=${name}`, '--init-groups', '--'],
  };
}

/** Removes the sudoers entry and the user (tests normally keep them for the next run: both are idempotent). */
export function removeSudoUser(): void {
  rmSync(SUDOERS_FILE, { force: true });
  try {
    execFileSync('userdel', ['-r', SUDO_USER], { stdio: 'ignore' });
  } catch {
    // not there, or still running processes: the next ensureSudoUser reuses it
  }
}

function retry(fn: () => void): void {
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (attempt >= 20) throw e;
      sleepSync(100);
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
