// Host aliases of an ssh config file (~/.ssh/config): `Host a b` lines, patterns (`*`, `?`, `!x`) left out;
// with an Include reader, the included files' too.
import { parseSshConfig, type IncludedFile, type SshConfigItem } from '../ssh/sshConfig.js';

export function sshConfigHostsDeep(text: string, env: { homeDir: string; readInclude?: (pattern: string) => IncludedFile[] }): string[] {
  const out: string[] = [];
  const walk = (items: SshConfigItem[]): void => {
    for (const item of items) {
      if (item.kind === 'host') out.push(...item.patterns.filter((p) => p && !/[*?!]/.test(p)));
      else if (item.kind === 'include') item.files.forEach(walk);
    }
  };
  walk(parseSshConfig(text, { homeDir: env.homeDir, ...(env.readInclude ? { readInclude: env.readInclude } : {}) }).items);
  return out;
}

export function sshConfigHosts(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*Host(?:\s+|\s*=\s*)(.*)$/i.exec(raw);
    if (!m) continue;
    const names = m[1]!.replace(/\s+#.*$/, '').split(/\s+/);
    for (const name of names) {
      const n = name.replace(/^"|"$/g, '');
      if (n && !/[*?!]/.test(n)) out.push(n);
    }
  }
  return out;
}
