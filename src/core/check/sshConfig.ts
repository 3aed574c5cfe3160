// Host aliases of an ssh config file (~/.ssh/config): `Host a b` lines, patterns (`*`, `?`, `!x`) left out.

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
