// OpenSSH host patterns, shared by ssh_config (`Host`, `Match host`) and known_hosts: `*` any run of
// characters, `?` one character, `!` negates, matching is case-insensitive. A list matches when one of its
// positive patterns does and none of its negated ones does.

const cache = new Map<string, RegExp>();

/** Whether `text` matches one glob pattern (no negation). */
export function matchGlob(pattern: string, text: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'is');
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(text);
}

/** OpenSSH's match_pattern_list: true when a positive pattern matches and no negated one does. */
export function matchPatternList(patterns: readonly string[], text: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (!p) continue;
    if (p.startsWith('!')) {
      if (matchGlob(p.slice(1), text)) return false;
    } else if (!matched && matchGlob(p, text)) {
      matched = true;
    }
  }
  return matched;
}
