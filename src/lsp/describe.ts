// Markdown descriptions of hosts, connections and variables for hover and completion. Only known,
// non-secret fields are shown: passwords in URLs are masked, secret variables never show a value, and
// unknown keys of the front matter (which might hold anything) are not shown at all.
import type { CheckContext } from '../core/check/index.js';

type Obj = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function entry(list: { name: string; value: unknown }[], name: string): Obj | undefined {
  const v = list.find((e) => e.name === name)?.value;
  return v && typeof v === 'object' ? v as Obj : undefined;
}

/** `scheme://user:password@host` → `scheme://user:***@host`; `password=x` query parameters masked too. */
export function maskSecrets(text: string): string {
  return text
    .replace(/^([a-z][\w+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1:***@')
    .replace(/^([^:/@\s]+):[^@/\s]+@/, '$1:***@')
    .replace(/([?&;](?:password|passwd|pwd|sslpassword|token|secret)=)[^&;\s]*/gi, '$1***');
}

function sshTarget(ctx: CheckContext, name: string): string {
  const host = entry(ctx.fm.hosts, name);
  const ssh = str(host?.ssh);
  if (ssh) return code(maskSecrets(ssh)) + (str(host?.port) ? ` port ${str(host?.port)}` : '');
  if (name === 'local' || name === 'localhost') return 'this machine';
  if (ctx.sshAliases.has(name)) return `${code(name)} (ssh config)`;
  return 'unknown host';
}

export function describeHost(ctx: CheckContext, name: string): string | undefined {
  if (name === 'local' || name === 'localhost') return `**${name}**: runs on this machine, no SSH`;
  const host = entry(ctx.fm.hosts, name);
  if (!host) return ctx.sshAliases.has(name) ? `**host ${code(name)}**: Host alias of the ssh config` : undefined;
  const lines = [`**host ${code(name)}**${str(host.description) ? `: ${str(host.description)}` : ''}`, ''];
  lines.push(`- ssh: ${sshTarget(ctx, name)}`);
  const jumps = Array.isArray(host.jump) ? host.jump.map(str) : [str(host.jump)];
  for (const j of jumps) if (j) lines.push(`- jump through ${code(j)} → ${sshTarget(ctx, j)}`);
  if (str(host.identityFile)) lines.push(`- identity file: ${code(str(host.identityFile)!)}`);
  return lines.join('\n');
}

export function describeConnection(ctx: CheckContext, name: string): string | undefined {
  const c = entry(ctx.fm.connections, name);
  if (!c) return undefined;
  const driver = str(c.driver) ?? '?';
  const lines = [`**connection ${code(name)}** (${driver})${str(c.description) ? `: ${str(c.description)}` : ''}`, ''];
  if (str(c.path)) lines.push(`- database file: ${code(str(c.path)!)}`);
  if (str(c.url)) lines.push(`- url: ${code(maskSecrets(str(c.url)!))}`);
  const host = str(c.host);
  if (host) {
    const how = driver === 'sqlite' ? 'runs sqlite3 on' : 'tunnelled through';
    lines.push(`- ${how} host ${code(host)} → ${sshTarget(ctx, host)}`);
  }
  if (str(c.passwordVariable)) lines.push(`- password from the variable ${code(str(c.passwordVariable)!)} (never shown)`);
  return lines.join('\n');
}

export function describeVariable(ctx: CheckContext, name: string): string | undefined {
  const v = entry(ctx.fm.variables, name);
  if (!v && !ctx.variableNames.has(name)) return undefined;
  const lines = [`**variable ${code(name)}**${str(v?.description) ? `: ${str(v?.description)}` : ''}`, ''];
  if (str(v?.prompt)) lines.push(`- prompt: ${str(v?.prompt)}`);
  if (v?.secret === true) lines.push('- secret: prompted once per session, never written to disk');
  else if (v?.default !== undefined) lines.push(`- default: ${code(String(v.default))}`);
  return lines.join('\n');
}
