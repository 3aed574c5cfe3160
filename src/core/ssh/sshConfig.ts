// ~/.ssh/config, read the way OpenSSH reads it (ssh_config(5)): for each option the first value obtained
// wins, except IdentityFile which accumulates; `Host` patterns match the name given (the alias), `Match`
// blocks support all/host/originalhost/user/localuser/final (exec never runs: such a block never applies).
// Include is followed through a reader the caller passes (a pure parser by default).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { matchGlob, matchPatternList } from './patterns.js';

type Condition =
  | { kind: 'host'; patterns: string[] }
  | { kind: 'match'; criteria: Array<{ name: string; negate: boolean; arg: string[] }> };

export interface SshConfigLine {
  /** Every condition must hold (an Include inside a Host block adds the block's condition). */
  conditions: Condition[];
  /** Lower case. */
  keyword: string;
  args: string[];
  source: string;
  line: number;
}

export interface SshConfig {
  lines: SshConfigLine[];
  /** Lines that were skipped, with why (unreadable Include, unsupported Match criterion, ...). */
  problems: string[];
}

export interface IncludedFile {
  path: string;
  text: string;
}

export interface SshConfigParseOptions {
  /** Reads the files an Include pattern names (absolute, `~` expanded); without it Include is skipped. */
  readInclude?: (pattern: string) => IncludedFile[];
  /** Where relative Include paths start (OpenSSH: ~/.ssh for the user's config). */
  baseDir?: string;
  homeDir?: string;
  /** Name of the text's file, for problems. */
  source?: string;
}

const MAX_INCLUDE_DEPTH = 16;

export function parseSshConfig(text: string, options: SshConfigParseOptions = {}): SshConfig {
  const config: SshConfig = { lines: [], problems: [] };
  parseInto(config, text, options.source ?? 'ssh config', [], options, 0);
  return config;
}

function parseInto(config: SshConfig, text: string, source: string, outer: Condition[], options: SshConfigParseOptions, depth: number): void {
  let current: Condition[] = outer;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const parsed = splitLine(raw);
    if (!parsed) return;
    const { keyword, args } = parsed;
    if (keyword === 'host') {
      current = [...outer, { kind: 'host', patterns: args }];
    } else if (keyword === 'match') {
      const criteria = parseMatch(args);
      if (typeof criteria === 'string') {
        config.problems.push(`${source}:${line}: ${criteria}; the block is skipped`);
        current = [...outer, { kind: 'host', patterns: [] }]; // never matches
      } else {
        current = [...outer, { kind: 'match', criteria }];
      }
    } else if (keyword === 'include') {
      if (!options.readInclude) {
        config.problems.push(`${source}:${line}: Include is not followed here`);
        return;
      }
      if (depth >= MAX_INCLUDE_DEPTH) {
        config.problems.push(`${source}:${line}: Include nested too deeply`);
        return;
      }
      for (const arg of args) {
        const home = options.homeDir ?? '';
        let pattern = arg.startsWith('~/') && home ? join(home, arg.slice(2)) : arg;
        if (!isAbsolute(pattern)) pattern = join(options.baseDir ?? (home ? join(home, '.ssh') : '.'), pattern);
        let files: IncludedFile[];
        try {
          files = options.readInclude(pattern);
        } catch (e) {
          config.problems.push(`${source}:${line}: Include ${arg}: ${(e as Error).message}`);
          continue;
        }
        for (const f of files) parseInto(config, f.text, f.path, current, options, depth + 1);
      }
    } else {
      config.lines.push({ conditions: current, keyword, args, source, line });
    }
  });
}

/** `Keyword value...` or `Keyword=value...`; undefined for blank and comment lines. */
function splitLine(raw: string): { keyword: string; args: string[] } | undefined {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+|$)(.*)$/.exec(line);
  if (!m) return undefined;
  return { keyword: m[1]!.toLowerCase(), args: splitArgs(m[2]!) };
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

function parseMatch(args: string[]): Extract<Condition, { kind: 'match' }>['criteria'] | string {
  const criteria: Extract<Condition, { kind: 'match' }>['criteria'] = [];
  for (let i = 0; i < args.length; i++) {
    let word = args[i]!.toLowerCase();
    const negate = word.startsWith('!');
    if (negate) word = word.slice(1);
    if (word === 'all' || word === 'canonical' || word === 'final') {
      criteria.push({ name: word, negate, arg: [] });
    } else if (MATCH_WITH_ARG.has(word)) {
      const arg = args[++i];
      if (arg === undefined) return `Match ${word} needs an argument`;
      if (word === 'exec' || word === 'localnetwork' || word === 'tagged') return `Match ${word} is not supported`;
      criteria.push({ name: word, negate, arg: arg.split(',') });
    } else {
      return `unknown Match criterion ${JSON.stringify(args[i])}`;
    }
  }
  return criteria.length ? criteria : 'Match without criteria';
}

/** The settings of one host, all tokens expanded. */
export interface SshHostConfig {
  /** The name that was looked up. */
  alias: string;
  /** Where to connect (HostName, or the alias). */
  hostName: string;
  user: string;
  port: number;
  /** Configured IdentityFile values, in order (`~`, `%` tokens and `${VAR}` expanded). */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** ProxyJump hops in order (raw `[user@]host[:port]` specs); [] for `ProxyJump none`; undefined if unset. */
  proxyJump?: string[];
  userKnownHostsFiles?: string[];
  identityAgent?: string;
  connectTimeoutSeconds?: number;
  serverAliveIntervalSeconds?: number;
  serverAliveCountMax?: number;
  /** A Host or Match block other than a bare `Host *` applied: the name is a configured alias. */
  matched: boolean;
}

export interface SshResolveContext {
  localUser: string;
  homeDir: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** For %l (default: this machine's host name). */
  localHost?: string;
  /** Set by the caller (e.g. `deploy@alias`, a front matter port): win over the config, as on ssh's command line. */
  user?: string;
  port?: number;
}

/** Looks `alias` up in a parsed config. */
export function resolveSshHost(config: SshConfig, alias: string, ctx: SshResolveContext): SshHostConfig {
  const first = new Map<string, string[]>();
  const identityFiles: string[] = [];
  let matched = false;
  const state = () => ({
    host: expandHostName(first.get('hostname')?.[0], alias),
    user: ctx.user ?? first.get('user')?.[0] ?? ctx.localUser,
  });
  for (const l of config.lines) {
    const applies = l.conditions.every((c) => conditionHolds(c, alias, state(), ctx));
    if (!applies) continue;
    if (l.conditions.some((c) => !(c.kind === 'host' && c.patterns.length === 1 && c.patterns[0] === '*'))) matched = true;
    if (l.keyword === 'identityfile') {
      if (l.args[0]) identityFiles.push(l.args[0]);
    } else if (!first.has(l.keyword)) {
      first.set(l.keyword, l.args);
    }
  }
  const hostName = expandHostName(first.get('hostname')?.[0], alias);
  const user = ctx.user ?? first.get('user')?.[0] ?? ctx.localUser;
  const configPort = Number(first.get('port')?.[0]);
  const port = ctx.port ?? (Number.isInteger(configPort) && configPort > 0 && configPort < 65536 ? configPort : 22);
  const tokens = { alias, hostName, user, port, ctx };
  const out: SshHostConfig = {
    alias,
    hostName,
    user,
    port,
    identityFiles: identityFiles.filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(f, tokens)),
    identitiesOnly: yes(first.get('identitiesonly')?.[0]),
    matched,
  };
  const jump = first.get('proxyjump');
  if (jump?.[0]) out.proxyJump = jump[0].toLowerCase() === 'none' ? [] : jump.join(',').split(',').map((s) => s.trim()).filter(Boolean);
  const known = first.get('userknownhostsfile');
  if (known?.length && known[0]!.toLowerCase() !== 'none') out.userKnownHostsFiles = known.map((f) => expandPath(f, tokens));
  const agent = first.get('identityagent')?.[0];
  if (agent) out.identityAgent = agent.toLowerCase() === 'none' || agent === 'SSH_AUTH_SOCK' ? agent : expandPath(agent, tokens);
  const num = (k: string): number | undefined => {
    const v = Number(first.get(k)?.[0]);
    return Number.isFinite(v) && first.has(k) ? v : undefined;
  };
  const ct = num('connecttimeout');
  if (ct !== undefined) out.connectTimeoutSeconds = ct;
  const sai = num('serveraliveinterval');
  if (sai !== undefined) out.serverAliveIntervalSeconds = sai;
  const sac = num('serveralivecountmax');
  if (sac !== undefined) out.serverAliveCountMax = sac;
  return out;
}

function conditionHolds(c: Condition, alias: string, now: { host: string; user: string }, ctx: SshResolveContext): boolean {
  if (c.kind === 'host') return matchPatternList(c.patterns, alias);
  return c.criteria.every((k) => {
    let r: boolean;
    switch (k.name) {
      case 'all':
      case 'final':
        r = true;
        break;
      case 'canonical':
        r = false;
        break;
      case 'host':
        r = matchPatternList(k.arg, now.host);
        break;
      case 'originalhost':
        r = matchPatternList(k.arg, alias);
        break;
      case 'user':
        r = matchPatternList(k.arg, now.user);
        break;
      case 'localuser':
        r = matchPatternList(k.arg, ctx.localUser);
        break;
      default:
        r = false;
    }
    return k.negate ? !r : r;
  });
}

function yes(v: string | undefined): boolean {
  return v !== undefined && ['yes', 'true'].includes(v.toLowerCase());
}

function expandHostName(value: string | undefined, alias: string): string {
  if (!value) return alias;
  return value.replace(/%([h%])/g, (_, t: string) => (t === 'h' ? alias : '%'));
}

interface Tokens {
  alias: string;
  hostName: string;
  user: string;
  port: number;
  ctx: SshResolveContext;
}

/** `~`, `%d %h %p %r %u %n %l %L %i %C %%` and `${VAR}` as ssh expands them in IdentityFile. */
export function expandPath(value: string, t: Tokens): string {
  const home = t.ctx.homeDir;
  const localHost = t.ctx.localHost ?? hostname();
  let v = value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name: string) => t.ctx.env?.[name] ?? all);
  v = v.replace(/%(.)/g, (all, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'd': return home;
      case 'h': return t.hostName;
      case 'p': return String(t.port);
      case 'r': return t.user;
      case 'u': return t.ctx.localUser;
      case 'n': return t.alias;
      case 'l': return localHost;
      case 'L': return localHost.split('.')[0]!;
      case 'i': return String(process.getuid?.() ?? '');
      case 'C': return createHash('sha1').update(`${localHost}${t.hostName}${t.port}${t.user}`).digest('hex');
      default: return all;
    }
  });
  if (v === '~') return home;
  if (v.startsWith('~/')) return join(home, v.slice(2));
  return v;
}

/** One ProxyJump hop: `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

export function parseJumpSpec(spec: string): JumpSpec {
  let s = spec.trim();
  if (/^ssh:\/\//i.test(s)) s = s.slice(6).replace(/\/$/, '');
  const out: JumpSpec = { host: '' };
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    out.user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) {
    out.host = v6[1]!;
    if (v6[2]) out.port = Number(v6[2]);
  } else {
    const m = /^([^:]+):(\d+)$/.exec(s);
    if (m) {
      out.host = m[1]!;
      out.port = Number(m[2]);
    } else {
      out.host = s;
    }
  }
  if (!out.host || (out.user !== undefined && !out.user)) throw new Error(`not a valid host: ${JSON.stringify(spec)}`);
  if (out.port !== undefined && (!Number.isInteger(out.port) || out.port < 1 || out.port > 65535)) {
    throw new Error(`not a valid port in ${JSON.stringify(spec)}`);
  }
  return out;
}

/**
 * Reads Include files from disk: `*`/`?` are allowed in the last path component (files in a directory,
 * sorted, as glob(3) returns them); a missing file is no error (OpenSSH ignores it too).
 */
export function fsIncludeReader(pattern: string): IncludedFile[] {
  const dir = dirname(pattern);
  const base = pattern.slice(dir.length + 1);
  let names: string[];
  if (/[*?]/.test(base)) {
    try {
      names = readdirSync(dir).filter((n) => !n.startsWith('.') && matchGlob(base, n)).sort();
    } catch {
      return [];
    }
  } else {
    names = [base];
  }
  const out: IncludedFile[] = [];
  for (const n of names) {
    const path = join(dir, n);
    try {
      if (!statSync(path).isFile()) continue;
      out.push({ path, text: readFileSync(path, 'utf8') });
    } catch {
      // missing or unreadable: skipped like ssh does
    }
  }
  return out;
}
