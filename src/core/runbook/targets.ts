// Which targets exist for a runbook: `local`, its front-matter hosts, and the Host names of the ssh config,
// read by the real ssh_config parser (Include followed, Match blocks and patterns left out, quoted names
// whole, `Host=name`, comments). The runner's host groups, the target picker and the language server ask
// here, so they agree with each other and with the resolution that connects (core/ssh/targets.ts).
import type { FrontMatter } from '../format/frontMatter.js';
import { parseSshConfig, type IncludedFile, type SshConfig, type SshConfigItem } from '../ssh/sshConfig.js';
import { defaultTargetEnv, parseUserSshConfig, readUserSshConfig } from '../ssh/targets.js';

/** What reading an ssh config needs: home (for `~` and relative Include) and an Include reader. */
export interface SshConfigEnv {
  homeDir: string;
  readInclude?: (pattern: string) => IncludedFile[];
}

/** A name with a wildcard or negation is a pattern, not a target. */
export function isHostPattern(name: string): boolean {
  return /[*?!]/.test(name);
}

/** Host names of a parsed ssh config, its included files' too, in order, without duplicates. */
export function sshHostNamesOf(config: SshConfig): string[] {
  const names = new Set<string>();
  const walk = (items: SshConfigItem[]): void => {
    for (const item of items) {
      if (item.kind === 'host') for (const p of item.patterns) if (p && !isHostPattern(p)) names.add(p);
      if (item.kind === 'include') item.files.forEach(walk);
    }
  };
  walk(config.items);
  return [...names];
}

/**
 * Host names of an ssh config's text. With `env`, Include lines are followed the way ssh does for
 * ~/.ssh/config (relative to ~/.ssh); without it they are skipped.
 */
export function sshHostNames(text: string | undefined, env?: SshConfigEnv): string[] {
  if (!text) return [];
  const config = env
    ? parseUserSshConfig(text, { homeDir: env.homeDir, localUser: '', ...(env.readInclude ? { readInclude: env.readInclude } : {}) })
    : parseSshConfig(text);
  return sshHostNamesOf(config);
}

/** Host names of this user's ~/.ssh/config (its Includes followed). */
export function userSshHostNames(env: SshConfigEnv = defaultTargetEnv()): string[] {
  return sshHostNames(readUserSshConfig(env), env);
}

export interface KnownTargets {
  /** Front-matter hosts, in the order written. */
  hosts: string[];
  /** ssh config Host names that are not front-matter hosts. */
  sshAliases: string[];
}

/** The named targets of a runbook besides `local` (groups are the fleet's: core/fleet/groups.ts). */
export function knownTargets(fm: FrontMatter | undefined, sshNames: readonly string[]): KnownTargets {
  const hosts = Object.keys(fm?.hosts ?? {});
  return { hosts, sshAliases: sshNames.filter((n) => !hosts.includes(n)) };
}
