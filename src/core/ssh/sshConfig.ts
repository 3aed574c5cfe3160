// ~/.ssh/config, parsed the way OpenSSH reads it (ssh_config(5), readconf.c): a list of Host and Match
// lines, options, and Include lines whose files are read once, here, through a reader the caller passes.
// Resolution (which blocks apply to a host, first value wins, the `Match final` pass) is in sshResolve.ts.

import { isAbsolute, join } from 'node:path';

export interface MatchCriterion {
  name: string;
  negate: boolean;
  arg: string[];
}

export type SshConfigItem =
  | { kind: 'host'; patterns: string[]; source: string; line: number }
  /** `never`: a criterion that is not evaluated here (exec, ...): the block never applies. */
  | { kind: 'match'; criteria: MatchCriterion[]; never?: string; source: string; line: number }
  /** `rest`: the line after the keyword as written (ProxyCommand takes it whole, quotes and all). */
  | { kind: 'option'; keyword: string; args: string[]; rest: string; source: string; line: number }
  /** One item list per file the pattern named, in glob order; each starts in the Include's block. */
  | { kind: 'include'; files: SshConfigItem[][]; source: string; line: number };

export interface SshConfig {
  items: SshConfigItem[];
  /** Lines that were skipped, with why (unreadable Include, unsupported Match criterion, ...). */
  problems: string[];
  /** `Match exec` lines (never run): `file:line: command`. */
  execMatches: string[];
}

export interface IncludedFile {
  path: string;
  text: string;
}

export interface SshConfigParseOptions {
  /** Reads the files an Include pattern names (absolute, `~` expanded); without it Include is skipped. */
  readInclude?: (pattern: string) => IncludedFile[];
  /** Where relative Include paths start (OpenSSH: ~/.ssh for a user config, also with `ssh -F`). */
  baseDir?: string;
  homeDir?: string;
  /** Name of the text's file, for problems. */
  source?: string;
}

const MAX_INCLUDE_DEPTH = 16;

export function parseSshConfig(text: string, options: SshConfigParseOptions = {}): SshConfig {
  const config: SshConfig = { items: [], problems: [], execMatches: [] };
  config.items = parseFile(config, text, options.source ?? 'ssh config', options, 0);
  return config;
}

function parseFile(config: SshConfig, text: string, source: string, options: SshConfigParseOptions, depth: number): SshConfigItem[] {
  const items: SshConfigItem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const parsed = splitLine(raw);
    if (!parsed) return;
    const { keyword, args, rest } = parsed;
    if (keyword === 'host') {
      items.push({ kind: 'host', patterns: args, source, line });
    } else if (keyword === 'match') {
      items.push(parseMatch(config, args, source, line));
    } else if (keyword === 'include') {
      if (!options.readInclude) {
        config.problems.push(`${source}:${line}: Include is not followed here`);
        return;
      }
      if (depth >= MAX_INCLUDE_DEPTH) {
        config.problems.push(`${source}:${line}: Include nested too deeply`);
        return;
      }
      const files: SshConfigItem[][] = [];
      for (const arg of args) {
        const home = options.homeDir ?? '';
        let pattern = arg.startsWith('~/') && home ? join(home, arg.slice(2)) : arg;
        if (!isAbsolute(pattern)) pattern = join(options.baseDir ?? (home ? join(home, '.ssh') : '.'), pattern);
        try {
          for (const f of options.readInclude(pattern)) files.push(parseFile(config, f.text, f.path, options, depth + 1));
        } catch (e) {
          config.problems.push(`${source}:${line}: Include ${arg}: ${(e as Error).message}`);
        }
      }
      items.push({ kind: 'include', files, source, line });
    } else {
      items.push({ kind: 'option', keyword, args, rest, source, line });
    }
  });
  return items;
}

/** `Keyword value...` or `Keyword=value...`; undefined for blank and comment lines. */
function splitLine(raw: string): { keyword: string; args: string[]; rest: string } | undefined {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+|$)(.*)$/.exec(line);
  if (!m) return undefined;
  return { keyword: m[1]!.toLowerCase(), args: splitArgs(m[2]!), rest: m[2]! };
}

/** Whitespace-separated words; double or single quotes group, a backslash escapes; `#` starts a comment. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && (text[i + 1] === quote || text[i + 1] === '\\')) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length && /[\s"'\\]/.test(text[i + 1]!)) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else if (c === '#' && !has) {
      break;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

const MATCH_WITH_ARG = new Set(['host', 'originalhost', 'user', 'localuser', 'exec', 'localnetwork', 'tagged']);
const NOT_EVALUATED = new Set(['exec', 'localnetwork', 'tagged']);

function parseMatch(config: SshConfig, args: string[], source: string, line: number): SshConfigItem {
  const criteria: MatchCriterion[] = [];
  let never: string | undefined;
  for (let i = 0; i < args.length; i++) {
    let word = args[i]!.toLowerCase();
    const negate = word.startsWith('!');
    if (negate) word = word.slice(1);
    if (word === 'all' || word === 'canonical' || word === 'final') {
      criteria.push({ name: word, negate, arg: [] });
    } else if (MATCH_WITH_ARG.has(word)) {
      const arg = args[++i];
      if (arg === undefined) {
        never ??= `Match ${word} needs an argument`;
        break;
      }
      if (word === 'exec') config.execMatches.push(`${source}:${line}: ${arg}`);
      if (NOT_EVALUATED.has(word)) never ??= word === 'exec' ? `Match exec is never run here (${JSON.stringify(arg)})` : `Match ${word} is not supported`;
      else criteria.push({ name: word, negate, arg: arg.split(',') });
    } else {
      never ??= `unknown Match criterion ${JSON.stringify(args[i])}`;
    }
  }
  if (!args.length) never = 'Match without criteria';
  if (never) config.problems.push(`${source}:${line}: ${never}; the block is skipped`);
  return { kind: 'match', criteria, ...(never ? { never } : {}), source, line };
}

export { fsIncludeReader } from './sshInclude.js';
export { resolveSshHost, type SshHostConfig, type SshResolveContext } from './sshResolve.js';
export { expandPath } from './sshTokens.js';
export { parseJumpSpec, type JumpSpec } from './jumpSpec.js';
