// Include patterns read from disk as OpenSSH does (glob(3) with GLOB_TILDE): `*`, `?` and `[...]` in any
// path component (`conf.d/*/config`), no dotfiles for a wildcard, results sorted; a missing file is no
// error (ssh ignores it too).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncludedFile } from './sshConfig.js';

const MAGIC = /[*?[]/;

function componentRegExp(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = part.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Absolute paths matching `pattern` (absolute), sorted. */
export function globPaths(pattern: string): string[] {
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let paths = [parts[0] === '' ? '/' : parts[0]!];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const base of paths) {
      const join = (n: string) => (base.endsWith('/') ? base + n : `${base}/${n}`);
      if (!MAGIC.test(part)) {
        next.push(join(part));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      const re = componentRegExp(part);
      for (const n of names) if (!(n.startsWith('.') && !part.startsWith('.')) && re.test(n)) next.push(join(n));
    }
    paths = next;
  }
  return paths.sort();
}

export function fsIncludeReader(pattern: string): IncludedFile[] {
  const out: IncludedFile[] = [];
  for (const path of globPaths(pattern)) {
    try {
      if (!statSync(path).isFile()) continue;
      out.push({ path, text: readFileSync(path, 'utf8') });
    } catch {
      // missing or unreadable: skipped like ssh does
    }
  }
  return out;
}
