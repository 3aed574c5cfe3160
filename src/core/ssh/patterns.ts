// OpenSSH host patterns, shared by ssh_config (`Host`, `Match host`) and known_hosts: `*` any run of
// characters, `?` one character, `!` negates. A list matches when one of its positive patterns does and
// none of its negated ones does (match.c match_pattern_list). `Host` lines compare case-sensitively
// (match_pattern); `Match host`, `Match originalhost` and known_hosts lower-case both sides (match_hostname).

const cache = new Map<string, RegExp>();

/** Whether `text` matches one glob pattern (no negation); case-insensitive unless `caseSensitive`. */
export function matchGlob(pattern: string, text: string, caseSensitive = false): boolean {
  const key = `${caseSensitive ? 's' : 'i'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, caseSensitive ? 's' : 'is');
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  return re.test(text);
}

/** OpenSSH's match_pattern_list: true when a positive pattern matches and no negated one does. */
export function matchPatternList(patterns: readonly string[], text: string, caseSensitive = false): boolean {
  let matched = false;
  for (const p of patterns) {
    if (!p) continue;
    if (p.startsWith('!')) {
      if (matchGlob(p.slice(1), text, caseSensitive)) return false;
    } else if (!matched && matchGlob(p, text, caseSensitive)) {
      matched = true;
    }
  }
  return matched;
}
