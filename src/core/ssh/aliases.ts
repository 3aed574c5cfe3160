// Host aliases written in an ssh config (`Host web-1 db-*` gives web-1): the names a runbook can target
// besides its front-matter hosts. Patterns with wildcards or negations are not names.
export function sshAliases(configText: string | undefined): string[] {
  const names = new Set<string>();
  for (const m of (configText ?? '').matchAll(/^[ \t]*Host[ \t]+(.+)$/gim)) {
    for (const name of m[1]!.trim().split(/\s+/)) {
      if (name && !/[*?!]/.test(name)) names.add(name.replace(/^"|"$/g, ''));
    }
  }
  return [...names];
}
