// Which settings apply to one host, as OpenSSH 9 resolves them (readconf.c, ssh.c):
// - blocks are read top to bottom; a Host or Match line decides, when it is read, whether the lines up to
//   the next one apply; an Include starts in the including block and, if that block does not apply,
//   nothing in the included file does;
// - `Host` patterns compare case-sensitively with the name given; `Match host/originalhost` compare
//   case-insensitively, `Match user/localuser` case-sensitively;
// - for each option the first value obtained wins, except IdentityFile which accumulates; ProxyJump and
//   ProxyCommand exclude each other (the first one set wins);
// - HostName's `%h` is the name given, and the result is lower-cased;
// - if any `Match final` line was read, the config is read a second time with `Host` matching the resolved
//   host name and `Match final`/`canonical` true; values from the first pass stay.
// `Match exec` never runs here: such a block never applies (parseSshConfig records it).

import { matchPatternList } from './patterns.js';
import type { MatchCriterion, SshConfig, SshConfigItem } from './sshConfig.js';
import { expandPath, expandProxyCommand, type TokenContext } from './sshTokens.js';

/** The settings of one host, all tokens expanded. */
export interface SshHostConfig {
  /** The name that was looked up. */
  alias: string;
  /** Where to connect (HostName, or the alias), lower-cased. */
  hostName: string;
  user: string;
  port: number;
  /** Configured IdentityFile values, in order (`~`, `%` tokens and `${VAR}` expanded). */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** ProxyJump hops in order (raw `[user@]host[:port]` specs); [] for `ProxyJump none`; undefined if unset. */
  proxyJump?: string[];
  /** HostKeyAlias (known_hosts names the host key by it). */
  hostKeyAlias?: string;
  /** ProxyCommand with its tokens expanded (undefined if unset or `none`). */
  proxyCommand?: string;
  /** ProxyCommand as written. */
  proxyCommandRaw?: string;
  userKnownHostsFiles?: string[];
  identityAgent?: string;
  connectTimeoutSeconds?: number;
  serverAliveIntervalSeconds?: number;
  serverAliveCountMax?: number;
  /** A Host or Match block other than a bare `Host *` applied: the name is a configured alias. */
  matched: boolean;
}

export interface SshResolveContext extends TokenContext {
  /** Set by the caller (e.g. `deploy@alias`, a front matter port): win over the config, as on ssh's command line. */
  user?: string;
  port?: number;
}

interface PassState {
  /** What `Host` lines compare with: the name given, then (final pass) the resolved host name. */
  hostForHostLines: string;
  alias: string;
  final: boolean;
  options: Map<string, string[]>;
  identityFiles: string[];
  wantFinal: boolean;
  matched: boolean;
  ctx: SshResolveContext;
}

/** Looks `alias` up in a parsed config. */
export function resolveSshHost(config: SshConfig, alias: string, ctx: SshResolveContext): SshHostConfig {
  const st: PassState = { hostForHostLines: alias, alias, final: false, options: new Map(), identityFiles: [], wantFinal: false, matched: false, ctx };
  readItems(config.items, st, true, false);
  const hostName = lowerHost(expandHostName(st.options.get('hostname')?.[0], alias));
  if (st.wantFinal) {
    st.options.set('hostname', [hostName]); // as ssh.c sets options.hostname before re-reading
    st.final = true;
    st.hostForHostLines = hostName;
    readItems(config.items, st, true, false);
  }
  return settings(st, alias, hostName);
}

function readItems(items: readonly SshConfigItem[], st: PassState, startActive: boolean, neverMatch: boolean): void {
  let active = startActive;
  for (const item of items) {
    switch (item.kind) {
      case 'host':
        active = !neverMatch && matchPatternList(item.patterns, st.hostForHostLines, true);
        if (active && !(item.patterns.length === 1 && item.patterns[0] === '*')) st.matched = true;
        break;
      case 'match': {
        const holds = matchHolds(item.criteria, st); // evaluated even where it cannot apply: `final` is noted
        active = !neverMatch && !item.never && holds;
        if (active && !item.criteria.every((c) => c.name === 'all')) st.matched = true;
        break;
      }
      case 'include':
        for (const file of item.files) readItems(file, st, active, neverMatch || !active);
        break;
      case 'option':
        if (active) apply(st, item.keyword, item.keyword === 'proxycommand' ? (item.rest ? [item.rest] : []) : item.args);
        break;
    }
  }
}

function apply(st: PassState, keyword: string, args: string[]): void {
  const o = st.options;
  if (keyword === 'identityfile') {
    if (args[0] && !st.identityFiles.includes(args[0])) st.identityFiles.push(args[0]); // ssh skips duplicates
  } else if (keyword === 'proxyjump' || keyword === 'proxycommand') {
    // The first of the two wins, except that `ProxyJump none` leaves a later ProxyCommand in force.
    const jump = o.get('proxyjump')?.[0];
    const blocked = o.has('proxycommand') || (jump !== undefined && (keyword === 'proxyjump' || jump.toLowerCase() !== 'none'));
    if (!blocked && args.length) o.set(keyword, args);
  } else if (!o.has(keyword) && args.length) {
    o.set(keyword, args);
  }
}

function matchHolds(criteria: readonly MatchCriterion[], st: PassState): boolean {
  // What Match sees is what is known when its line is read (readconf.c match_cfg_line).
  const hostName = st.final
    ? st.options.get('hostname')![0]!
    : expandHostName(st.options.get('hostname')?.[0], st.alias);
  const user = st.ctx.user ?? st.options.get('user')?.[0] ?? st.ctx.localUser;
  let result = true;
  for (const k of criteria) {
    let r: boolean;
    switch (k.name) {
      case 'all': r = true; break;
      case 'final':
        st.wantFinal = true;
        r = st.final;
        break;
      case 'canonical': r = st.final; break;
      case 'host': r = matchPatternList(k.arg, hostName.toLowerCase()); break;
      case 'originalhost': r = matchPatternList(k.arg, st.alias.toLowerCase()); break;
      case 'user': r = matchPatternList(k.arg, user, true); break;
      case 'localuser': r = matchPatternList(k.arg, st.ctx.localUser, true); break;
      default: r = false;
    }
    if (k.negate ? r : !r) result = false;
  }
  return result;
}

function settings(st: PassState, alias: string, hostName: string): SshHostConfig {
  const { options: first, ctx } = st;
  const user = ctx.user ?? first.get('user')?.[0] ?? ctx.localUser;
  const configPort = Number(first.get('port')?.[0]);
  const port = ctx.port ?? (Number.isInteger(configPort) && configPort > 0 && configPort < 65536 ? configPort : 22);
  const hostKeyAlias = first.get('hostkeyalias')?.[0];
  const tokens = { alias, hostName, user, port, ctx, ...(hostKeyAlias ? { hostKeyAlias } : {}) };
  const out: SshHostConfig = {
    alias,
    hostName,
    user,
    port,
    identityFiles: st.identityFiles.filter((f) => f.toLowerCase() !== 'none').map((f) => expandPath(f, tokens)),
    identitiesOnly: yes(first.get('identitiesonly')?.[0]),
    matched: st.matched,
  };
  if (hostKeyAlias) out.hostKeyAlias = hostKeyAlias;
  const jump = first.get('proxyjump');
  if (jump?.[0]) out.proxyJump = jump[0].toLowerCase() === 'none' ? [] : jump.join(',').split(',').map((s) => s.trim()).filter(Boolean);
  const command = first.get('proxycommand');
  if (command?.length && !(command.length === 1 && command[0]!.toLowerCase() === 'none')) {
    out.proxyCommandRaw = command[0]!;
    out.proxyCommand = expandProxyCommand(out.proxyCommandRaw, tokens);
  }
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

/** ssh.c lower-cases the host name, but not what may be an address (`:`, or `%` as in a scope id). */
function lowerHost(host: string): string {
  return /[:%]/.test(host) ? host : host.toLowerCase();
}

function yes(v: string | undefined): boolean {
  return v !== undefined && ['yes', 'true'].includes(v.toLowerCase());
}

function expandHostName(value: string | undefined, alias: string): string {
  if (!value) return alias;
  return value.replace(/%([h%])/g, (_, t: string) => (t === 'h' ? alias : '%'));
}
