// `%` tokens and `${VAR}` as OpenSSH 9 expands them (ssh_config(5) TOKENS). IdentityFile and
// UserKnownHostsFile take `~` and `%% %C %d %h %i %k %L %l %n %p %r %u`; ProxyCommand only `%% %h %n %p %r`.

import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface TokenContext {
  localUser: string;
  homeDir: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** For %l (default: this machine's host name). */
  localHost?: string;
}

export interface Tokens {
  /** The name given (%n). */
  alias: string;
  /** The resolved, lower-cased HostName (%h). */
  hostName: string;
  user: string;
  port: number;
  /** HostKeyAlias (%k; default: %h). */
  hostKeyAlias?: string;
  ctx: TokenContext;
}

/** `~`, tokens and `${VAR}` in a file name (IdentityFile, UserKnownHostsFile, IdentityAgent). */
export function expandPath(value: string, t: Tokens): string {
  const home = t.ctx.homeDir;
  const localHost = t.ctx.localHost ?? hostname();
  let v = value;
  if (v === '~') v = home;
  else if (v.startsWith('~/')) v = join(home, v.slice(2));
  v = v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, name: string) => t.ctx.env?.[name] ?? all);
  return v.replace(/%(.)/g, (all, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'd': return home;
      case 'h': return t.hostName;
      case 'k': return t.hostKeyAlias ?? t.hostName;
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
}

/** ProxyCommand's tokens: `%h` host, `%n` the name given, `%p` port, `%r` remote user, `%%`. */
export function expandProxyCommand(value: string, t: Pick<Tokens, 'alias' | 'hostName' | 'user' | 'port'>): string {
  return value.replace(/%(.)/g, (all, c: string) => {
    switch (c) {
      case '%': return '%';
      case 'h': return t.hostName;
      case 'n': return t.alias;
      case 'p': return String(t.port);
      case 'r': return t.user;
      default: return all;
    }
  });
}
