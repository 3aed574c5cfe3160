// Who signs a seal when nobody says: git's user.email, else user@host (the CLI and the Seal command).
import { hostname, userInfo } from 'node:os';
import { execaModule } from './execa.js';

export async function defaultPrincipal(): Promise<string> {
  const { execa } = await execaModule();
  const git = await execa('git', ['config', '--get', 'user.email'], { reject: false, timeout: 5000, stdin: 'ignore' });
  return (git.exitCode === 0 && git.stdout.trim()) || `${userInfo().username}@${hostname()}`;
}
