// From a target name (front matter `hosts:` key, ~/.ssh/config alias or `user@host:port`) to everything a
// connection needs: the real host, port and user, identity files and the jump chain, each hop resolved by
// the same rules. Front matter wins over ~/.ssh/config, which wins over the defaults (local user, port 22).
// Jump lists follow `ssh -J a,b`: the first hop keeps its own jumps, later hops go through the previous one.

import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { FrontMatter } from '../format/frontMatter.js';
import type { ResolvedTarget } from '../contract/types.js';
import { expandPath, fsIncludeReader, parseJumpSpec, parseSshConfig, resolveSshHost, type IncludedFile, type SshConfig } from './sshConfig.js';

export type FrontMatterHosts = NonNullable<FrontMatter['hosts']>;

/** One SSH connection to make; `via` is the hop it goes through (itself with its own `via`). */
export interface SshHop {
  /** The name it was resolved from (front matter key, alias or `user@host:port`). */
  name: string;
  host: string;
  port: number;
  user: string;
  /** Key files to try in order, after the agent (missing files are skipped). */
  identityFiles: string[];
  /** IdentitiesOnly: the agent is not used. */
  identitiesOnly: boolean;
  /** From UserKnownHostsFile; the connection's default files otherwise. */
  knownHostsFiles?: string[];
  /** From IdentityAgent: a socket path, or false for none (default: SSH_AUTH_SOCK). */
  agent?: string | false;
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** `user@host:port`. */
  label: string;
  via?: SshHop;
  /** HostKeyAlias: the name the host key is looked up and recorded under in known_hosts. */
  hostKeyAlias?: string;
  /** ProxyCommand (tokens expanded): its stdio is the way to the host, as with OpenSSH; never set with `via`. */
  proxyCommand?: string;
}

export interface SshTargetSettings {
  /** What outputs and the execution log record. */
  target: ResolvedTarget;
  ssh: SshHop;
}

export interface TargetEnv {
  homeDir: string;
  localUser: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Follows `Include` in the ssh config (fsIncludeReader for the real ~/.ssh). */
  readInclude?: (pattern: string) => IncludedFile[];
  localHost?: string;
}

/** Defaults ssh tries when no IdentityFile is configured (those ssh2 can use). */
const DEFAULT_IDENTITIES = ['~/.ssh/id_ed25519', '~/.ssh/id_ecdsa', '~/.ssh/id_rsa'];
const MAX_HOPS = 10;

/** This machine's user, home, environment and ~/.ssh includes. */
export function defaultTargetEnv(): TargetEnv {
  let user = process.env.USER ?? '';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry: keep $USER
  }
  return { homeDir: homedir(), localUser: user, env: process.env, readInclude: fsIncludeReader };
}

/** Text of ~/.ssh/config, or undefined when there is none. */
export function readUserSshConfig(env: Pick<TargetEnv, 'homeDir'> = defaultTargetEnv()): string | undefined {
  try {
    return readFileSync(join(env.homeDir, '.ssh', 'config'), 'utf8');
  } catch {
    return undefined;
  }
}

export function resolveTarget(
  name: string,
  hosts: FrontMatterHosts | undefined,
  sshConfigText: string | SshConfig | undefined,
  env: TargetEnv,
): SshTargetSettings {
  const config = typeof sshConfigText === 'object' ? sshConfigText : parseUserSshConfig(sshConfigText ?? '', env);
  const ssh = new Resolver(hosts ?? {}, config, env).hop(name, [], false);
  return {
    ssh,
    target: { name, kind: 'ssh', label: ssh.label, user: ssh.user, host: ssh.host, port: ssh.port },
  };
}

/** ~/.ssh/config parsed as ssh reads it (Includes relative to ~/.ssh), to resolve many names with one parse. */
export function parseUserSshConfig(text: string, env: TargetEnv): SshConfig {
  return parseSshConfig(text, {
    homeDir: env.homeDir,
    baseDir: join(env.homeDir, '.ssh'),
    source: '~/.ssh/config',
    ...(env.readInclude ? { readInclude: env.readInclude } : {}),
  });
}

class Resolver {
  constructor(
    private readonly hosts: FrontMatterHosts,
    private readonly config: SshConfig,
    private readonly env: TargetEnv,
  ) {}

  hop(name: string, stack: string[], ignoreJumps: boolean): SshHop {
    if (stack.includes(name)) throw new Error(`the jump hosts of ${stack[0]} loop: ${[...stack, name].join(' → ')}`);
    if (stack.length >= MAX_HOPS) throw new Error(`too many jump hosts for ${stack[0]} (${stack.join(' → ')})`);
    const entry = Object.hasOwn(this.hosts, name) ? this.hosts[name] : undefined;
    let spec;
    try {
      spec = parseJumpSpec(entry ? entry.ssh : name);
    } catch (e) {
      throw new Error(`host ${JSON.stringify(name)}: ${(e as Error).message}`, { cause: e });
    }
    const port = entry?.port ?? spec.port;
    const cfg = resolveSshHost(this.config, spec.host, {
      localUser: this.env.localUser,
      homeDir: this.env.homeDir,
      ...(this.env.env ? { env: this.env.env } : {}),
      ...(this.env.localHost ? { localHost: this.env.localHost } : {}),
      ...(spec.user ? { user: spec.user } : {}),
      ...(port ? { port } : {}),
    });
    const tokens = { alias: spec.host, hostName: cfg.hostName, user: cfg.user, port: cfg.port, ctx: { localUser: this.env.localUser, homeDir: this.env.homeDir, env: this.env.env ?? {} } };
    const identityFiles = [
      ...(entry?.identityFile ? [expandPath(entry.identityFile, tokens)] : []),
      ...cfg.identityFiles,
    ];
    const hop: SshHop = {
      name,
      host: cfg.hostName,
      port: cfg.port,
      user: cfg.user,
      identityFiles: identityFiles.length ? identityFiles : DEFAULT_IDENTITIES.map((f) => expandPath(f, tokens)),
      identitiesOnly: cfg.identitiesOnly,
      label: hopLabel(cfg.user, cfg.hostName, cfg.port),
    };
    if (cfg.userKnownHostsFiles) hop.knownHostsFiles = cfg.userKnownHostsFiles;
    if (cfg.hostKeyAlias) hop.hostKeyAlias = cfg.hostKeyAlias;
    if (cfg.identityAgent) {
      if (cfg.identityAgent.toLowerCase() === 'none') hop.agent = false;
      else if (cfg.identityAgent !== 'SSH_AUTH_SOCK') hop.agent = cfg.identityAgent;
    }
    if (cfg.connectTimeoutSeconds && cfg.connectTimeoutSeconds > 0) hop.connectTimeoutMs = cfg.connectTimeoutSeconds * 1000;
    if (cfg.serverAliveIntervalSeconds && cfg.serverAliveIntervalSeconds > 0) hop.keepaliveIntervalMs = cfg.serverAliveIntervalSeconds * 1000;
    if (cfg.serverAliveCountMax && cfg.serverAliveCountMax > 0) hop.keepaliveCountMax = cfg.serverAliveCountMax;
    if (!ignoreJumps) {
      const jumps = entry?.jump !== undefined ? ([] as string[]).concat(entry.jump) : cfg.proxyJump ?? [];
      const via = this.chain(jumps, [...stack, name]);
      if (via) hop.via = via;
      // A jump given in the front matter wins, as `ssh -J` on the command line does over the config.
      else if (entry?.jump === undefined && cfg.proxyCommand !== undefined) hop.proxyCommand = cfg.proxyCommand;
    }
    return hop;
  }

  /** `a,b,c`: a with its own jumps, b through a, c through b; returns the last hop. */
  private chain(names: string[], stack: string[]): SshHop | undefined {
    let via: SshHop | undefined;
    names.forEach((n, i) => {
      const hop = this.hop(n, stack, i > 0);
      if (i > 0 && via) hop.via = via;
      via = hop;
    });
    return via;
  }
}

export function hopLabel(user: string, host: string, port: number): string {
  return `${user}@${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The hops to connect in order: first jump host first, the target last. */
export function hopChain(hop: SshHop): SshHop[] {
  const out: SshHop[] = [];
  for (let h: SshHop | undefined = hop; h; h = h.via) out.unshift(h);
  return out;
}

/** Identifies a hop and the way to it: connections are shared per key. */
export function hopKey(hop: SshHop): string {
  return hopChain(hop).map((h) => (h.proxyCommand !== undefined ? `${h.label} [ProxyCommand ${h.proxyCommand}]` : h.label)).join(' → ');
}
