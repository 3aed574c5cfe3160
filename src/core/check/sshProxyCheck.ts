// What the ssh config makes a host do that a reader of the runbook cannot see: hosts reached through a
// ProxyCommand (run as OpenSSH runs it, `$SHELL -c "exec …"`), and `Match exec` blocks, which are never run
// here (their options do not apply, unlike with ssh).
import type { FrontMatter } from '../format/frontMatter.js';
import { hopChain, parseUserSshConfig, resolveTarget } from '../ssh/targets.js';
import { attr, attrValueWhere, codeCells, type CheckContext } from './context.js';
import type { Finding, Where } from './types.js';

const LOCAL = new Set(['local', 'localhost']);

export function checkSshProxies(ctx: CheckContext): Finding[] {
  const text = ctx.options.sshConfig;
  if (text === undefined) return [];
  const env = ctx.options.sshEnv ?? { homeDir: '/nonexistent', localUser: 'user' };
  const hosts = (ctx.fm.hosts.length ? Object.fromEntries(ctx.fm.hosts.map((h) => [h.name, h.value])) : {}) as NonNullable<FrontMatter['hosts']>;
  const out: Finding[] = [];
  const uses: { name: string; where: Where }[] = ctx.fm.hosts.map((h) => ({ name: h.name, where: { in: 'doc', line: h.line, start: h.start, end: h.end } }));
  for (const { cell, index } of codeCells(ctx.doc)) {
    const host = attr(cell, 'host');
    if (host && !LOCAL.has(host) && !ctx.hostNames.has(host) && !/\$|\{\{/.test(host)) uses.push({ name: host, where: attrValueWhere(cell, index, 'host') });
  }
  const config = parseUserSshConfig(text, env);
  const seen = new Set<string>();
  for (const use of uses) {
    if (seen.has(use.name)) continue;
    seen.add(use.name);
    let hops;
    try {
      hops = hopChain(resolveTarget(use.name, hosts, config, env).ssh);
    } catch {
      continue; // reported by the target checks
    }
    for (const hop of hops) {
      if (hop.proxyCommand === undefined) continue;
      const who = hop.name === use.name ? use.name : `${use.name} (its jump host ${hop.name})`;
      out.push({
        where: use.where, severity: 'information', code: 'ssh-proxy-command',
        message: `${who} is reached through the ssh config's ProxyCommand \`${hop.proxyCommand}\` (run with $SHELL -c, as OpenSSH does)`,
        data: { name: hop.name },
      });
    }
  }
  if (config.execMatches.length && uses.length) {
    out.push({
      where: uses[0]!.where, severity: 'information', code: 'ssh-match-exec',
      message: `Match exec is never run here, so its block does not apply (ssh would run it): ${config.execMatches.map((m) => m.replace(/^~\/\.ssh\/config:/, `${ctx.options.sshConfigPath ?? '~/.ssh/config'}:`)).join('; ')}`,
    });
  }
  return out;
}
